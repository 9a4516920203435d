import { describe, expect, it } from 'vitest';
import { deriveDisplayName, inferChannelType, mergeCustom, statusEffect } from './contacts.js';

describe('contact rules', () => {
  it('derives display_name from first and last, skipping blanks', () => {
    expect(deriveDisplayName('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(deriveDisplayName('Ada', '')).toBe('Ada');
    expect(deriveDisplayName('', '')).toBe('');
  });

  it('merges custom values by default and replaces them with overwrite', () => {
    const stored = { '1': 'a', '2': 'b' };
    expect(mergeCustom(stored, { '2': 'B', '3': 'c' }, false)).toEqual({ '1': 'a', '2': 'B', '3': 'c' });
    expect(mergeCustom(stored, { '3': 'c' }, true)).toEqual({ '3': 'c' });
    expect(mergeCustom(stored, { '1': null }, false)).toEqual({ '2': 'b' });
    expect(stored).toEqual({ '1': 'a', '2': 'b' });
  });

  it('maps each status to its flags', () => {
    expect(statusEffect('active')).toEqual({ unsubscribed: false, blocked: false });
    expect(statusEffect('blocked')).toEqual({ blocked: true });
    expect(statusEffect('unblocked')).toEqual({ blocked: false });
    expect(statusEffect('subscribed')).toEqual({ unsubscribed: false });
    expect(statusEffect('unsubscribed')).toEqual({ unsubscribed: true });
  });

  it('infers channel types from values', () => {
    expect(inferChannelType('a@b.co')).toBe('email');
    expect(inferChannelType('14155551234')).toBe('phone');
    expect(inferChannelType('someone')).toBeUndefined();
  });
});
