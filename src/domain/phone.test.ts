import { describe, expect, it } from 'vitest';
import { e164Problem, isTollFree } from './phone.js';

describe('E.164 without +', () => {
  it('accepts valid numbers and any 11-digit North American number', () => {
    for (const n of ['14155551234', '447911123456', '4915112345678', '14151234567', '15555550100']) expect(e164Problem(n)).toBeUndefined();
  });

  it('explains what is wrong', () => {
    expect(e164Problem('+14155551234')).toMatch(/send 14155551234/);
    expect(e164Problem('415-555-1234')).toMatch(/digits/);
    expect(e164Problem('4155551234')).toMatch(/add the country code: 14155551234/);
    expect(e164Problem('1234567')).toMatch(/8 to 15 digits/);
    expect(e164Problem('999999999999')).toMatch(/not a valid phone number/);
  });

  it('knows toll-free numbers', () => {
    expect(isTollFree('18885550100')).toBe(true);
    expect(isTollFree('14155550100')).toBe(false);
  });
});
