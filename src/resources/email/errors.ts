import { badDataAt } from '../../core/errors.js';

// Named errors of POST /v1/email/send (gaps M12, M13). Inbox, member, thread and reachability
// rules are the shared ones (inboxes/, conversations/, contacts/ errors.ts).

export const targetsWithConvoId = (field: string) => badDataAt(field, 'use targets to start a new email or convo_id to reply, not both (gap M12)');

export const noEmailTargets = (field: string) => badDataAt(field, 'give targets (["to:a@example.com"]) to start an email, or convo_id to reply');

/** A targets element (or the whole list, when `index` is undefined) breaks a recipient rule. */
export function badEmailTargets(index: number | undefined, message: string) {
  return badDataAt(index === undefined ? 'targets' : `targets[${index}]`, message);
}
