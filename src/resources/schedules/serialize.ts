import { groupKey } from '../../domain/targets.js';
import { toIso } from '../../domain/time.js';
import { UNSET_INT, UNSET_TIME } from '../../wire/unset.js';
import { serializeGalleryEntry } from '../templates/serialize.js';
import type { ScheduleRow } from './store.js';

/**
 * Row → the Scheduled object: the generated GET shape (scheduled-messages.md) with team_id and
 * user_id (3p), plus the mock's `status`, `message_id` and `error` so a tester sees what happened.
 */
export function serializeSchedule(s: ScheduleRow) {
  const r = s.request;
  const c = r.content;
  return {
    id: s.id,
    execute: toIso(s.executeAt),
    inbox_id: s.inboxId,
    local_id: s.localId,
    meta: {
      content: {
        text: c.text ?? '',
        template: c.template ?? UNSET_INT,
        // The recipient number: as given, else phone_number, else a group's numbers joined with commas.
        to: c.to ?? r.phone_number ?? (r.targets ? groupKey([...new Set(r.targets)]) : ''),
        attachments: (c.attachments ?? []).map((a) => ({ name: a.name ?? '', type: a.type ?? '', url: a.url })),
        gallery: (c.gallery ?? []).map(serializeGalleryEntry),
        local_day: UNSET_INT,
        local_time: UNSET_TIME,
        offset: 0,
      },
      conversation_id: r.conversation_id ?? UNSET_INT,
      list_id: r.list_id ?? UNSET_INT,
      campaign_id: UNSET_INT,
      campaign_step_id: UNSET_INT,
      campaign_target_phone: '',
    },
    op: s.op,
    rev: s.rev,
    created: toIso(s.created),
    updated: toIso(s.updated),
    team_id: s.teamId,
    user_id: s.userId,
    status: s.state,
    message_id: s.messageId ?? UNSET_INT,
    error: s.error,
  };
}
