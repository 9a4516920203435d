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
  if (parsed?.isValid()) return undefined;
  // North American numbers: any 11 digits starting with 1 pass, so the fictional numbers of docs
  // and test suites (the docs' own 14151234567, 555 numbers) work as they do with real clients.
  if (/^1[0-9]{10}$/.test(value)) return undefined;
  if (value.length === 10 && /^[2-9]/.test(value)) {
    return `is not a valid E.164 number; if ${value} is a US/Canadian number, add the country code: 1${value}`;
  }
  return `is not a valid phone number in any numbering plan (E.164 digits without '+', country code first, e.g. 14155551234)`;
}

/** True for toll-free numbers (e.g. US 800/833/844/855/866/877/888), per libphonenumber's metadata. */
export function isTollFree(digits: string): boolean {
  return parsePhoneNumberFromString('+' + digits)?.getType() === 'TOLL_FREE';
}
