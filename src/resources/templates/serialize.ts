import type { GalleryEntry } from '../../db/schema.js';
import { toIso } from '../../domain/time.js';
import { UNSET_INT } from '../../wire/unset.js';
import type { TemplateRow } from './store.js';

/** Every GalleryEntry field is answered, '' for those the client did not give. */
export function serializeGalleryEntry(g: GalleryEntry) {
  return {
    url: g.url,
    original_url: g.original_url ?? '',
    annotation_text: g.annotation_text ?? '',
    annotation_position: g.annotation_position ?? '',
  };
}

export function serializeTemplate(t: TemplateRow) {
  return {
    id: t.id,
    name: t.name,
    local_id: t.localId,
    content: { text: t.text, gallery: t.gallery.map(serializeGalleryEntry) },
    team_id: t.teamId,
    creator_id: t.creatorId ?? UNSET_INT,
    shared: t.shared,
    archived: t.archived,
    created: toIso(t.created),
    updated: toIso(t.updated),
    rev: t.rev,
    op: t.op,
  };
}
