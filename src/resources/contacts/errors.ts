import { badDataAt } from '../../core/errors.js';
import { unreachableReason } from '../../domain/reachability.js';

// Named errors of the reachability rule (help centre; gap M3), one wording for SMS, group MMS,
// email and scheduled sends. `address` is the number or address the send targeted, which need
// not be the contact's first one (its `phone`/`email` columns).

type ContactRef = { id: number; blocked: boolean; unsubscribed: boolean };

export const contactBlocked = (field: string, contact: { id: number }, address: string) =>
  badDataAt(field, `contact ${contact.id} (${address}) is blocked; set status "unblocked" to message it`);

export const contactOptedOut = (field: string, contact: { id: number }, address: string) =>
  badDataAt(field, `contact ${contact.id} (${address}) has opted out (unsubscribed); it must opt back in (status "subscribed") before the team can message it`);

/** Throws the rule's error when the team may not message `contact` at `address` on `channel`. */
export function assertReachable(field: string, contact: ContactRef | undefined, address: string, channel: 'sms' | 'email') {
  if (!contact) return;
  const reason = unreachableReason(contact, channel);
  if (reason === 'blocked') throw contactBlocked(field, contact, address);
  if (reason === 'opted_out') throw contactOptedOut(field, contact, address);
}
