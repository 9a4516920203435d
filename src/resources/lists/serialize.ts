import { toIso } from '../../domain/time.js';
import { UNSET_INT } from '../../wire/unset.js';
import type { ListRow } from './store.js';

export interface ListRecipients {
  targets: Record<string, { f: string; l: string }>;
  contacts: number[];
  emails: string[];
}

export function serializeList(l: ListRow, r: ListRecipients) {
  return {
    id: l.id,
    name: l.name,
    local_id: l.localId,
    targets: r.targets,
    team_id: l.teamId,
    creator_id: l.creatorId ?? UNSET_INT,
    shared: l.shared,
    created: toIso(l.created),
    updated: toIso(l.updated),
    rev: l.rev,
    archived: l.archived,
    contacts: r.contacts,
    emails: r.emails,
  };
}
