import type { Db } from '../../db/open.js';
import { toIso } from '../../domain/time.js';
import { recordEvent } from '../events/store.js';
import type { ContactRow } from './store.js';

/**
 * target_opt_out / target_opt_in (control-plane spec, Webhooks): only a real change of the
 * contact's subscription fires, by set_status or by an inbound keyword; `inbox_id` names the inbox
 * that caused it (0 through the API: an unset integer, decisions K8 and K12). Written in the
 * transaction of the change itself.
 */
export function recordOptChange(db: Db, before: ContactRow, after: ContactRow, inboxId: number | null, now: number) {
  if (before.unsubscribed === after.unsubscribed) return;
  recordEvent(
    db,
    after.teamId,
    after.unsubscribed ? 'target_opt_out' : 'target_opt_in',
    { id: after.id, phone: after.phone ?? '', inbox_id: inboxId ?? 0, unsubscribed: after.unsubscribed, blocked: after.blocked, date: toIso(now) },
    now,
  );
}
