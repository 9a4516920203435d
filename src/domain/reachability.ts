// Who and how the team may message (help centre; gaps M3, M4). Pure: the send services and the
// schedule checks ask these, and the named errors (src/resources/*/errors.ts) word the answer.

export interface ContactFlags {
  blocked: boolean;
  unsubscribed: boolean;
}

export type Unreachable = 'blocked' | 'opted_out';

/**
 * Why the team may not message this contact on `channel`, or undefined when it may. A blocked
 * contact can neither send to nor receive from the team on any channel; opting out (SMS STOP,
 * `unsubscribed`) stops SMS and MMS but not email. Blocked wins when both apply.
 */
export function unreachableReason(c: ContactFlags, channel: 'sms' | 'email'): Unreachable | undefined {
  if (c.blocked) return 'blocked';
  if (channel === 'sms' && c.unsubscribed) return 'opted_out';
  return undefined;
}

/** Toll-free numbers cannot carry group MMS (gap M4): a group thread never sends from, or moves into, such an inbox. */
export const carriesGroupMms = (inbox: { tollFree: boolean }): boolean => !inbox.tollFree;
