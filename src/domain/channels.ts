import { z } from 'zod';
import { e164Problem } from './phone.js';
import { isUuid } from './uuid.js';

// Contact channel rules (contacts-v2.md): pure, no I/O.

/** phone, email, facebook or another integration's name; "id" is reserved for bulk delete. */
export const CHANNEL_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

const emailCheck = z.email();

/** Why `value` is not a valid channel value of `type`, or undefined when it is. */
export function channelValueProblem(type: string, value: string): string | undefined {
  if (type === 'phone') return e164Problem(value);
  if (type === 'email') return emailCheck.safeParse(value).success ? undefined : 'must be a valid email address';
  if (!value.trim()) return 'must not be empty';
  return undefined;
}

export function channelTypeProblem(type: string): string | undefined {
  if (type === 'id') return '"id" is only valid in DELETE /v2/contacts (it lists contact UUIDs)';
  if (!CHANNEL_TYPE_PATTERN.test(type)) return 'must be a channel type such as phone, email or facebook (lower-case letters, digits, _)';
  return undefined;
}

/** Why `value` cannot be a v2 contactID; integer v1 ids get a pointed hint. */
export function contactIdProblem(value: string): string | undefined {
  if (isUuid(value)) return undefined;
  if (/^[0-9]+$/.test(value)) {
    return `must be the contact UUID; ${value} looks like a v1 integer id (use /v1/contact/${value}, or the uuid field of the contact)`;
  }
  return 'must be a contact UUID such as a1b2c3d4-e5f6-7890-abcd-ef1234567890';
}
