import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Heymarket phone numbers are E.164 digits without the leading '+' (doc: contacts/overview).
 * Returns why `value` is not one, or undefined when it is valid.
 */
export function e164Problem(value: string): string | undefined {
  if (value.startsWith('+')) return `must be E.164 digits without '+' (send ${value.slice(1)}, not ${value})`;
  if (!/^[0-9]+$/.test(value)) return "must be E.164 digits without '+' (e.g. 14155551234)";
  if (value.length < 8 || value.length > 15) return 'must be an E.164 number of 8 to 15 digits including the country code (e.g. 14155551234)';
  const parsed = parsePhoneNumberFromString('+' + value);
  if (!parsed || !parsed.isValid()) {
    return `is not a valid phone number in any numbering plan (E.164 digits without '+', country code first, e.g. 14155551234)`;
  }
  return undefined;
}

/** True for toll-free numbers (e.g. US 800/833/844/855/866/877/888), per libphonenumber's metadata. */
export function isTollFree(digits: string): boolean {
  return parsePhoneNumberFromString('+' + digits)?.getType() === 'TOLL_FREE';
}
