import { describe, expect, it } from 'vitest';
import { channelTypeProblem, channelValueProblem, contactIdProblem } from './channels.js';

describe('channel rules', () => {
  it('validates values by channel type', () => {
    expect(channelValueProblem('phone', '14155551234')).toBeUndefined();
    expect(channelValueProblem('phone', '+14155551234')).toMatch(/without '\+'/);
    expect(channelValueProblem('email', 'a@b.co')).toBeUndefined();
    expect(channelValueProblem('email', 'not-an-email')).toMatch(/email/);
    expect(channelValueProblem('facebook', 'psid-123')).toBeUndefined();
    expect(channelValueProblem('facebook', '  ')).toMatch(/empty/);
  });

  it('reserves "id" and rejects odd channel type names', () => {
    expect(channelTypeProblem('phone')).toBeUndefined();
    expect(channelTypeProblem('whatsapp_business')).toBeUndefined();
    expect(channelTypeProblem('id')).toMatch(/DELETE \/v2\/contacts/);
    expect(channelTypeProblem('Phone Number')).toBeDefined();
  });

  it('accepts UUIDs as contactID and explains integer ids', () => {
    expect(contactIdProblem('a1b2c3d4-e5f6-7890-abcd-ef1234567890')).toBeUndefined();
    expect(contactIdProblem('42')).toMatch(/v1 integer id/);
    expect(contactIdProblem('nope')).toMatch(/UUID/);
  });
});
