import { describe, expect, it } from 'vitest';
import { carriesGroupMms, unreachableReason } from './reachability.js';

describe('unreachableReason', () => {
  const c = (blocked: boolean, unsubscribed: boolean) => ({ blocked, unsubscribed });

  it('a reachable contact has no reason, on either channel', () => {
    expect(unreachableReason(c(false, false), 'sms')).toBeUndefined();
    expect(unreachableReason(c(false, false), 'email')).toBeUndefined();
  });

  it('blocked stops SMS and email', () => {
    expect(unreachableReason(c(true, false), 'sms')).toBe('blocked');
    expect(unreachableReason(c(true, false), 'email')).toBe('blocked');
  });

  it('opting out stops SMS only', () => {
    expect(unreachableReason(c(false, true), 'sms')).toBe('opted_out');
    expect(unreachableReason(c(false, true), 'email')).toBeUndefined();
  });

  it('blocked wins over opted out', () => {
    expect(unreachableReason(c(true, true), 'sms')).toBe('blocked');
  });
});

describe('carriesGroupMms', () => {
  it('is false for a toll-free inbox only', () => {
    expect(carriesGroupMms({ tollFree: true })).toBe(false);
    expect(carriesGroupMms({ tollFree: false })).toBe(true);
  });
});
