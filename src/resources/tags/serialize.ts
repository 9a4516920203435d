import { toIso } from '../../domain/time.js';
import type { TagRow } from './store.js';

export function serializeTag(t: TagRow) {
  return { id: t.id, tag: t.tag, color: t.color, team_id: t.teamId, created: toIso(t.created), updated: toIso(t.updated), rev: t.rev };
}
