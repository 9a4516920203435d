import { describe, expect, it } from 'vitest';
import { getTableColumns } from 'drizzle-orm';
import { contacts } from '../../../src/db/schema.js';
import { insertContact } from '../../../src/resources/contacts/store.js';
import { T0 } from '../../support/app.js';
import { createField, createTag, start } from './support.js';

// The contact insert is one prepared statement per database. Its columns must come from the table,
// never from the keys of whichever insert ran first: a phone-only contact created by a send must
// not make a later, fuller create lose fields.

describe('contact insert columns', () => {
  it('a full POST /v1/contact after a send created a phone-only contact stores every field', async () => {
    const { t, auth } = await start();
    const fieldId = await createField(t, auth, 'Plan');
    const tagId = await createTag(t, auth, 'VIP');

    // The first insert of this database: a send to a new number makes a contact with a phone only.
    const sent = await t.http.post('/v1/message/send').set('Authorization', auth).send({ inbox_id: 10, creator_id: 1, phone_number: '14155551001', text: 'Hi' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(t.sql('SELECT phone, first, avatar FROM contacts')).toEqual([{ phone: '14155551001', first: '', avatar: '' }]);

    const full = {
      phone: '14155551002',
      avatar: 'https://example.com/ann.png',
      custom: { [String(fieldId)]: 'gold' },
      display_name: 'Annie',
      email: 'ann@example.com',
      first: 'Ann',
      last: 'Able',
      assignee_id: 2,
      tags: [{ tag_id: tagId }],
      is_opted_out: true,
      email_suppressions: [12],
    };
    const res = await t.http.post('/v1/contact').set('Authorization', auth).send(full);
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const [row] = t.sql<Record<string, unknown>>('SELECT * FROM contacts WHERE id = ?', res.body.id);
    expect(row).toMatchObject({
      team_id: 1,
      phone: full.phone,
      avatar: full.avatar,
      custom: JSON.stringify(full.custom),
      display_name: 'Annie',
      email: full.email,
      first: 'Ann',
      last: 'Able',
      assigned_user_id: 2,
      creator_id: 1,
      unsubscribed: 1,
      email_suppressions: '[12]',
      op: 'create',
      rev: 1,
    });
    expect(t.sql('SELECT team_id, tag_id FROM contact_tags WHERE contact_id = ?', res.body.id)).toEqual([{ team_id: 1, tag_id: tagId }]);

    // And the wire shows it all.
    const got = await t.http.post('/v1/contact/get').set('Authorization', auth).send({ id: res.body.id });
    expect(got.body).toMatchObject({
      phone: full.phone, avatar: full.avatar, custom: full.custom, display_name: 'Annie', email: full.email,
      first: 'Ann', last: 'Able', assigned_user_id: 2, is_opted_out: true, tags: [expect.objectContaining({ id: tagId })],
    });
  });

  it('insertContact binds every column of the table, whatever the first call carried', async () => {
    const { t } = await start();
    const db = t.app.mock.db;
    const base = { custom: {}, emailSuppressions: [], op: 'create', rev: 1, created: T0, updated: T0 };
    const few = insertContact(db, 1, { uuid: '00000000-0000-4000-8000-000000000001', ...base });
    // Left-out columns take the table's defaults.
    expect(few).toMatchObject({ phone: null, email: '', first: '', shared: true, blocked: false, unsubscribed: false, externalId: '', creatorId: null });

    // Every column set to a value that is not its default, including ones no API path sets.
    const all = {
      uuid: '00000000-0000-4000-8000-000000000002',
      phone: '14155551009',
      email: 'x@example.com',
      first: 'F',
      last: 'L',
      displayName: 'D',
      avatar: 'https://example.com/a.png',
      custom: { '1': 'v' },
      creatorId: 1,
      assignedUserId: 2,
      shared: false,
      unsubscribed: true,
      blocked: true,
      emailSuppressions: [12],
      externalId: 'ext-1',
      externalRef: 'ref-1',
      op: 'update',
      rev: 7,
      created: T0 + 1,
      updated: T0 + 2,
    };
    const row = insertContact(db, 1, all);
    expect(row).toEqual({ ...all, id: row.id, teamId: 1 });
    // Nothing in the table escaped the test: every column but id and team_id is in `all`.
    expect(Object.keys(getTableColumns(contacts)).filter((k) => k !== 'id' && k !== 'teamId').sort()).toEqual(Object.keys(all).sort());
    // What was returned is what is stored.
    expect(t.sql('SELECT shared, blocked, external_id, external_ref, rev FROM contacts WHERE id = ?', row.id)).toEqual([
      { shared: 0, blocked: 1, external_id: 'ext-1', external_ref: 'ref-1', rev: 7 },
    ]);
  });
});
