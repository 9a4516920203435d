import { badDataAt } from '../../core/errors.js';
import { magicRecipient } from '../../domain/magic.js';
import { unreachableReason } from '../../domain/reachability.js';

// Named errors of the reachability rule (help centre; gap M3), one wording for SMS, group MMS,
// email and scheduled sends. `address` is the number or address the send targeted, which need
// not be the contact's first one (its `phone`/`email` columns).

type ContactRef = { id: number; blocked: boolean; unsubscribed: boolean };

export const contactBlocked = (field: string, contact: { id: number }, address: string) =>
  badDataAt(field, `contact ${contact.id} (${address}) is blocked; set status "unblocked" to message it`).coded('blocked_contact');

export const contactOptedOut = (field: string, contact: { id: number }, address: string) =>
  badDataAt(field, `contact ${contact.id} (${address}) has opted out (unsubscribed); it must opt back in (status "subscribed") before the team can message it`).coded('unsubscribed_number');

/** A magic recipient that refuses every send (control-plane spec, Magic recipients). */
export const magicRefused = (field: string, address: string, message: string) =>
  badDataAt(field, `${address} is ${message}`).coded(address.includes('@') ? 'invalid_email' : 'invalid_phone');

/** The magic refusal of `address`, if it is that reserved recipient (a broadcast skips it instead). */
export function magicRefusal(address: string): string | undefined {
  const magic = magicRecipient(address);
  return magic?.kind === 'refuse' ? magic.message : undefined;
}

/** Throws the rule's error when the team may not message `contact` at `address` on `channel`. */
export function assertReachable(field: string, contact: ContactRef | undefined, address: string, channel: 'sms' | 'email') {
  const refused = magicRefusal(address);
  if (refused) throw magicRefused(field, address, refused);
  if (!contact) return;
  const reason = unreachableReason(contact, channel);
  if (reason === 'blocked') throw contactBlocked(field, contact, address);
  if (reason === 'opted_out') throw contactOptedOut(field, contact, address);
}
