import type { Clocks } from '../../core/clock.js';
import type { IdSource } from '../../core/ids.js';
import { deriveDisplayName } from '../../domain/contacts.js';
import { createField } from '../../resources/contact-fields/store.js';
import { createTag } from '../../resources/tags/store.js';
import { insertChannel, insertContact, newContactRow } from '../../resources/contacts/store.js';
import { insertSurvey } from '../../resources/surveys/store.js';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open.js';
import { prepared } from '../../db/prepared.js';
import { contactTags } from '../../db/schema.js';
import type { Step } from '../../db/slices.js';
import { addWebhook } from '../webhooks/service.js';
import type { SeedTeam } from './schemas.js';

/**
 * Custom fields, tags, contacts, surveys and webhooks of a seed team, as steps (src/db/slices.ts:
 * a contact with its channels and tags is one). Custom values and tags are named by title/label.
 * Surveys keep their seeded ids and take clock.now(t.id) (not a stamp) when no dates are given, so
 * seeding them does not shift the write stamps of everything else.
 */
export function* contentSteps(db: Db, t: SeedTeam, clock: Clocks, ids: IdSource): Generator<Step> {
  const fieldIds = new Map<string, number>();
  for (const f of t.fields) yield () => void fieldIds.set(f.title, createField(db, t.id, f.title, clock.now(t.id)).id);
  const tagIds = new Map<string, number>();
  for (const g of t.tags) yield () => void tagIds.set(g.tag, createTag(db, t.id, { uuid: ids.uuid(), tag: g.tag, color: g.color ?? '' }, clock.now(t.id)).id);
  const creatorId = (t.members.find((m) => m.role_id === 1) ?? t.members[0])?.id ?? null;
  for (const [i, c] of t.contacts.entries()) {
    yield () => {
      const custom: Record<string, string> = {};
      for (const [title, value] of Object.entries(c.custom ?? {})) {
        const id = fieldIds.get(title);
        if (id === undefined) throw new Error(`seed: team ${t.id} contact ${i}: custom field "${title}" is not in fields`);
        custom[String(id)] = value;
      }
      const tagList = (c.tags ?? []).map((label) => {
        const id = tagIds.get(label);
        if (id === undefined) throw new Error(`seed: team ${t.id} contact ${i}: tag "${label}" is not in tags`);
        return id;
      });
      const now = clock.now(t.id);
      const row = insertContact(
        db,
        t.id,
        newContactRow(
          {
            uuid: c.uuid?.toLowerCase() ?? ids.uuid(),
            phone: c.phone ?? null,
            email: c.email ?? '',
            first: c.first ?? '',
            last: c.last ?? '',
            displayName: c.display_name ?? deriveDisplayName(c.first ?? '', c.last ?? ''),
            creatorId,
            now,
          },
          { custom, unsubscribed: c.is_opted_out ?? false, blocked: c.blocked ?? false },
        ),
      );
      if (c.phone) insertChannel(db, t.id, row.id, { channelType: 'phone', channelId: c.phone }, now);
      if (c.email) insertChannel(db, t.id, row.id, { channelType: 'email', channelId: c.email }, now);
      // A new contact has no tags to replace: one prepared insert per tag (a team of thousands of contacts is written in milliseconds).
      tagList.forEach((tagId, position) => tagInsert(db).run({ teamId: t.id, contactId: row.id, tagId, position }));
    };
  }
  for (const s of t.surveys) {
    yield () => {
      const created = s.created !== undefined ? Date.parse(s.created) : clock.now(t.id);
      const updated = s.updated !== undefined ? Date.parse(s.updated) : created;
      insertSurvey(db, t.id, { id: s.id, name: s.name, type: s.type, question: s.question, created, updated });
    };
  }
  for (const w of t.webhooks) yield () => void addWebhook(db, ids, t.id, w, clock.now(t.id));
}

const tagInsert = (db: Db) =>
  prepared(db, 'seed.contactTag', () =>
    db
      .insert(contactTags)
      .values({ teamId: sql.placeholder('teamId'), contactId: sql.placeholder('contactId'), tagId: sql.placeholder('tagId'), position: sql.placeholder('position') })
      .prepare(),
  );
