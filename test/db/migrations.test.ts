import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/open.js';

// 0002_team_scoping rebuilds inbox_members, contact_tags and list_members with a team_id taken
// from the parent row. These tests build a database file as 0001 left it, with rows, and open it
// with the current code, which applies the rest.

const MIGRATIONS = resolve(import.meta.dirname, '..', '..', 'migrations');

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A database file migrated up to and including migration `last` (its journal tag), and nothing after. */
function databaseAt(last: string): { path: string; client: Database.Database } {
  dir = mkdtempSync(join(tmpdir(), 'hm-migrate-'));
  const folder = join(dir, 'migrations');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const upTo = journal.entries.findIndex((e) => e.tag === last);
  expect(upTo, `migration ${last} in the journal`).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, upTo + 1);
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  const path = join(dir, 'mock.sqlite');
  const client = new Database(path);
  client.pragma('journal_mode = WAL');
  client.pragma('foreign_keys = ON');
  migrate(drizzle(client), { migrationsFolder: folder });
  return { path, client };
}

/** Two teams with inboxes and members, contacts with tags, and lists with entries, as 0001 stored them. */
function fillAt0001(c: Database.Database) {
  const run = (q: string, ...p: unknown[]) => c.prepare(q).run(...p);
  for (const team of [1, 2]) run('INSERT INTO teams (id, name, list_size, created) VALUES (?, ?, 100, 0)', team, `Team ${team}`);
  const member = (id: number, team: number) =>
    run(
      `INSERT INTO members (id, team_id, first_name, last_name, email, phone, role_id, created, updated, user_created, user_updated)
       VALUES (?, ?, 'M', '', ?, '14155550100', 1, 0, 0, 0, 0)`,
      id, team, `m${id}@example.com`,
    );
  member(1, 1);
  member(2, 1);
  member(21, 2);
  const inbox = (id: number, team: number) =>
    run(`INSERT INTO inboxes (id, team_id, name, kind, phones, widget_code, allowed_domains, created) VALUES (?, ?, 'I', 'sms', '[]', 'w', '[]', 0)`, id, team);
  inbox(10, 1);
  inbox(20, 2);
  for (const [i, m] of [[10, 1], [10, 2], [20, 21]]) run('INSERT INTO inbox_members (inbox_id, member_id) VALUES (?, ?)', i, m);

  const contact = (id: number, team: number, phone: string) =>
    run(
      `INSERT INTO contacts (id, team_id, uuid, phone, custom, email_suppressions, op, rev, created, updated) VALUES (?, ?, ?, ?, '{}', '[]', 'create', 1, 0, 0)`,
      id, team, `uuid-${id}`, phone,
    );
  contact(1, 1, '14155551001');
  contact(2, 1, '14155551002');
  contact(3, 2, '14155551001');
  const tag = (id: number, team: number) => run(`INSERT INTO tags (id, team_id, uuid, tag, rev, created, updated) VALUES (?, ?, ?, 'T', 1, 0, 0)`, id, team, `tag-${id}`);
  tag(1, 1);
  tag(2, 1);
  tag(3, 2);
  for (const [ct, tg, pos] of [[1, 1, 0], [1, 2, 1], [2, 2, 0], [3, 3, 0]]) run('INSERT INTO contact_tags (contact_id, tag_id, position) VALUES (?, ?, ?)', ct, tg, pos);

  const list = (id: number, team: number, localId: string) =>
    run(`INSERT INTO lists (id, team_id, uuid, name, local_id, kind, rev, created, updated) VALUES (?, ?, ?, 'L', ?, 'phones', 1, 0, 0)`, id, team, `list-${id}`, localId);
  list(1, 1, 'dup');
  list(2, 1, 'dup'); // what the create race left behind before lists_team_local_id existed
  list(3, 2, 'dup'); // the same local_id in another team is another list
  list(4, 1, '');
  list(5, 1, '');
  const entry = (id: number, listId: number, contactId: number | null, phone: string | null) =>
    run('INSERT INTO list_members (id, list_id, contact_id, phone, first) VALUES (?, ?, ?, ?, ?)', id, listId, contactId, phone, `e${id}`);
  entry(1, 1, 1, null);
  entry(2, 1, null, '14155559999');
  entry(3, 3, 3, null);
  entry(4, 4, null, '14155558888');
  // The highest entry id ever used was deleted: AUTOINCREMENT must not hand it out again.
  entry(9, 5, null, '14155557777');
  run('DELETE FROM list_members WHERE id = 9');
}

const rows = (db: Db, q: string) => db.$client.prepare(q).all();

describe('migration 0002_team_scoping on an existing database', () => {
  it('keeps every row of inbox_members, contact_tags and list_members, with team_id from the parent row', () => {
    const { path, client } = databaseAt('0001_messaging');
    fillAt0001(client);
    client.close();

    const db = openDb(path);
    try {
      expect(rows(db, 'SELECT team_id, inbox_id, member_id FROM inbox_members ORDER BY inbox_id, member_id')).toEqual([
        { team_id: 1, inbox_id: 10, member_id: 1 },
        { team_id: 1, inbox_id: 10, member_id: 2 },
        { team_id: 2, inbox_id: 20, member_id: 21 },
      ]);
      expect(rows(db, 'SELECT team_id, contact_id, tag_id, position FROM contact_tags ORDER BY contact_id, tag_id')).toEqual([
        { team_id: 1, contact_id: 1, tag_id: 1, position: 0 },
        { team_id: 1, contact_id: 1, tag_id: 2, position: 1 },
        { team_id: 1, contact_id: 2, tag_id: 2, position: 0 },
        { team_id: 2, contact_id: 3, tag_id: 3, position: 0 },
      ]);
      expect(rows(db, 'SELECT id, team_id, list_id, contact_id, phone, email, first, last FROM list_members ORDER BY id')).toEqual([
        { id: 1, team_id: 1, list_id: 1, contact_id: 1, phone: null, email: null, first: 'e1', last: '' },
        { id: 2, team_id: 1, list_id: 1, contact_id: null, phone: '14155559999', email: null, first: 'e2', last: '' },
        { id: 3, team_id: 2, list_id: 3, contact_id: 3, phone: null, email: null, first: 'e3', last: '' },
        { id: 4, team_id: 1, list_id: 4, contact_id: null, phone: '14155558888', email: null, first: 'e4', last: '' },
      ]);

      // The new column is NOT NULL and cascades from teams, like every other team_id.
      for (const table of ['inbox_members', 'contact_tags', 'list_members']) {
        const col = db.$client.prepare(`SELECT "notnull" FROM pragma_table_info('${table}') WHERE name = 'team_id'`).get() as { notnull: number };
        expect(col, table).toEqual({ notnull: 1 });
        expect(db.$client.prepare(`SELECT "table", on_delete FROM pragma_foreign_key_list('${table}') WHERE "from" = 'team_id'`).all(), table).toEqual([
          { table: 'teams', on_delete: 'CASCADE' },
        ]);
      }
      // The indexes that went with the rebuilt tables are back.
      const indexes = (rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name") as Array<{ name: string }>).map((r) => r.name);
      expect(indexes).toEqual(
        expect.arrayContaining([
          'inbox_members_member', 'inbox_members_team', 'contact_tags_tag', 'contact_tags_team',
          'list_members_list', 'list_members_team', 'list_members_contact', 'list_members_phone',
          'lists_team_local_id', 'schedules_team_due',
        ]),
      );
      expect(indexes).not.toContain('schedules_due');
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
      expect(rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

      // Duplicated local_ids: the oldest list keeps it, the others lose it; no list is lost.
      expect(rows(db, 'SELECT id, team_id, local_id FROM lists ORDER BY id')).toEqual([
        { id: 1, team_id: 1, local_id: 'dup' },
        { id: 2, team_id: 1, local_id: '' },
        { id: 3, team_id: 2, local_id: 'dup' },
        { id: 4, team_id: 1, local_id: '' },
        { id: 5, team_id: 1, local_id: '' },
      ]);

      // Entry ids keep counting past the highest one ever used (9), not the highest left (4).
      const next = db.$client.prepare("INSERT INTO list_members (team_id, list_id, phone) VALUES (1, 5, '14155556666') RETURNING id").get() as { id: number };
      expect(next.id).toBe(10);

      // Deleting a team now reaches its rows in these tables directly.
      db.$client.prepare('DELETE FROM teams WHERE id = 2').run();
      for (const table of ['inbox_members', 'contact_tags', 'list_members']) {
        expect(rows(db, `SELECT count(*) AS n FROM ${table} WHERE team_id = 2`), table).toEqual([{ n: 0 }]);
      }
    } finally {
      db.$client.close();
    }
  });

  it('applies to an empty database, and a fresh database gets the same tables', () => {
    const { path, client } = databaseAt('0001_messaging');
    client.close();
    const migrated = openDb(path);
    const fresh = openDb(':memory:');
    try {
      const schemaOf = (db: Db) => rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY type, name");
      expect(schemaOf(migrated)).toEqual(schemaOf(fresh));
    } finally {
      migrated.$client.close();
      fresh.$client.close();
    }
  });
});
