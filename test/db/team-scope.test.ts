import { describe, expect, it } from 'vitest';
import * as contactStore from '../../src/resources/contacts/store.js';
import * as listStore from '../../src/resources/lists/store.js';
import { startApp, T0 } from '../support/app.js';
import { twoTeamSeed } from './fixtures.js';

// "No query without a team", held by the structure: every table but teams carries team_id, and the
// by-id writes on list entries and contact channels match nothing when the team is not theirs.

describe('team scoping', () => {
  it('every table but teams has a NOT NULL team_id that cascades from teams', async () => {
    const t = await startApp();
    // The control plane's own bookkeeping of whole-team writes (decision R7) is not a team's data:
    // no team_id, so no snapshot holds it; a spec's parts go with their team, a marker outlives it.
    const bookkeeping = ['team_rewrites', 'team_spec_parts'];
    expect(t.sql(`SELECT "table", on_delete FROM pragma_foreign_key_list('team_spec_parts')`)).toEqual([{ table: 'teams', on_delete: 'CASCADE' }]);
    expect(t.sql(`SELECT "table" FROM pragma_foreign_key_list('team_rewrites')`)).toEqual([]);
    const tables = t.sql<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND name <> 'teams' AND name NOT IN (${bookkeeping.map((b) => `'${b}'`).join(', ')}) ORDER BY name`,
    );
    expect(tables.map((r) => r.name)).toEqual(expect.arrayContaining(['contact_tags', 'inbox_members', 'list_members']));
    for (const { name } of tables) {
      expect(t.sql(`SELECT "notnull" FROM pragma_table_info('${name}') WHERE name = 'team_id'`), name).toEqual([{ notnull: 1 }]);
      expect(t.sql(`SELECT "table", on_delete FROM pragma_foreign_key_list('${name}') WHERE "from" = 'team_id'`), name).toEqual([{ table: 'teams', on_delete: 'CASCADE' }]);
    }
    // The seed's inbox members carry their inbox's team.
    expect(t.sql('SELECT DISTINCT m.team_id = i.team_id AS same FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id')).toEqual([{ same: 1 }]);
  });

  it('every foreign key column leads an index, so deleting one team never scans the others', async () => {
    const t = await startApp();
    const tables = t.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'");
    for (const { name } of tables) {
      const leading = new Set(t.sql<{ name: string }>(`SELECT c.name FROM pragma_index_list('${name}') AS l, pragma_index_info(l.name) AS c WHERE c.seqno = 0`).map((r) => r.name));
      const pk = t.sql<{ name: string }>(`SELECT name FROM pragma_table_info('${name}') WHERE pk = 1`);
      for (const fk of t.sql<{ from: string }>(`SELECT "from" FROM pragma_foreign_key_list('${name}')`)) {
        expect(leading.has(fk.from) || pk[0]?.name === fk.from, `${name}.${fk.from}`).toBe(true);
      }
    }
  });

  it('list entry writes with another team id change nothing; with the list team they apply', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const db = t.app.mock.db;
    const res = await t.http.post('/v2/lists').set('Authorization', await t.auth()).send({ title: 'L', local_id: 'k', phones: ['14155559901', '14155559902'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listId = res.body.id as number;
    const [e1, e2] = listStore.listEntries(db, 1, listId);
    expect(e1!.teamId).toBe(1);
    expect(listStore.listEntries(db, 2, listId)).toEqual([]);
    expect(listStore.entriesOfLists(db, 2, [listId]).size).toBe(0);

    const values = { contactId: null, phone: '14155559903', email: null, first: 'X', last: '' };
    listStore.updateEntry(db, 2, listId, e1!.id, values);
    listStore.deleteEntries(db, 2, listId, [e1!.id, e2!.id]);
    expect(listStore.listEntries(db, 1, listId)).toEqual([e1, e2]);

    listStore.updateEntry(db, 1, listId, e1!.id, values);
    listStore.deleteEntries(db, 1, listId, [e2!.id]);
    expect(listStore.listEntries(db, 1, listId)).toEqual([{ ...e1, ...values }]);
  });

  it('contact channel and tag writes with another team id change nothing', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const db = t.app.mock.db;
    const auth = await t.auth();
    const tag = await t.http.post('/v1/tag').set('Authorization', auth).send({ tag: 'VIP' });
    const res = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551001', email: 'a@example.com', tags: [{ tag_id: tag.body.id }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const id = res.body.id as number;
    const before = contactStore.listChannels(db, 1, id);
    expect(before).toHaveLength(2);

    contactStore.updateChannel(db, 2, before[0]!.id, { channelId: '14155551999' }, T0 + 99);
    contactStore.deleteChannel(db, 2, before[1]!.id);
    expect(contactStore.listChannels(db, 1, id)).toEqual(before);

    contactStore.setContactTags(db, 2, id, []); // another team's clear does not reach team 1's links
    expect(t.sql('SELECT team_id, tag_id FROM contact_tags WHERE contact_id = ?', id)).toEqual([{ team_id: 1, tag_id: tag.body.id }]);

    contactStore.deleteChannel(db, 1, before[1]!.id);
    expect(contactStore.listChannels(db, 1, id)).toEqual([before[0]]);
  });
});
