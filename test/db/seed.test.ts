import { describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { expectApiError, startApp } from '../support/app.js';
import { TEAM2, team2, writeSeed, writeSeedText } from './fixtures.js';

describe('seed file', () => {
  it('loads teams with fields, tags and contacts (custom keyed by title, tags by label)', async () => {
    const path = writeSeed({
      teams: [
        team2({
          fields: [{ title: 'Company' }, { title: 'Plan' }],
          tags: [{ tag: 'VIP', color: '#FFD700' }, { tag: 'Lead' }],
          contacts: [
            { phone: '14155551234', first: 'Jane', last: 'Doe', custom: { Plan: 'gold', Company: 'Acme' }, tags: ['Lead', 'VIP'] },
            { email: 'solo@example.com', is_opted_out: true },
          ],
        }),
      ],
    });
    const t = await startApp({ seed: path });
    const fields = t.sql<{ id: number; title: string; team_id: number }>('SELECT id, title, team_id FROM contact_fields ORDER BY id');
    expect(fields.map((f) => [f.title, f.team_id])).toEqual([['Company', 2], ['Plan', 2]]);
    const tags = t.sql<{ id: number; tag: string; color: string; team_id: number }>('SELECT id, tag, color, team_id FROM tags ORDER BY id');
    expect(tags.map((g) => [g.tag, g.color, g.team_id])).toEqual([['VIP', '#FFD700', 2], ['Lead', '', 2]]);

    const contacts = t.sql<{ id: number; phone: string | null; email: string; first: string; custom: string; unsubscribed: number; team_id: number; creator_id: number }>(
      'SELECT * FROM contacts ORDER BY id',
    );
    expect(contacts).toHaveLength(2);
    const [jane, solo] = contacts;
    expect(jane).toMatchObject({ phone: '14155551234', first: 'Jane', team_id: 2, creator_id: 21 });
    const byTitle = Object.fromEntries(fields.map((f) => [f.title, String(f.id)]));
    expect(JSON.parse(jane!.custom)).toEqual({ [byTitle.Company!]: 'Acme', [byTitle.Plan!]: 'gold' });
    expect(solo).toMatchObject({ phone: null, email: 'solo@example.com', unsubscribed: 1 });
    const links = t.sql<{ tag_id: number; position: number }>('SELECT tag_id, position FROM contact_tags WHERE contact_id = ? ORDER BY position', jane!.id);
    const tagId = Object.fromEntries(tags.map((g) => [g.tag, g.id]));
    expect(links.map((l) => l.tag_id)).toEqual([tagId.Lead, tagId.VIP]);

    // The default team is still there beside the file's team.
    expect(t.sql('SELECT id FROM teams ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('include_default_team: false drops team 1 and its credentials', async () => {
    const t = await startApp({ seed: writeSeed({ include_default_team: false, teams: [team2()] }) });
    expect(t.sql('SELECT id FROM teams')).toEqual([{ id: 2 }]);
    expect(t.sql('SELECT id FROM members ORDER BY id')).toEqual([{ id: 21 }, { id: 22 }]);
    expectApiError(await t.http.get('/v1/team').set('Authorization', await t.auth()), 401, 'unauthorized');
    expectApiError(await t.http.get('/v1/team').set('Authorization', `Bearer ${DEFAULT_API_KEY}`), 401, 'unauthorized');
    const res = await t.http.get('/v1/team').set('Authorization', `Bearer ${TEAM2.apiKey}`);
    expect(res.body.id).toBe(2);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    [
      "a member phone with '+'",
      { teams: [team2({ members: [{ id: 21, first_name: 'Dan', email: 'dan@two.example', phone: '+14155550201' }], inboxes: [] })] },
      /teams\.0\.members\.0\.phone: must be E\.164 digits without '\+'/,
    ],
    ['a member id used by two teams', { teams: [team2({ members: [{ id: 1, first_name: 'Dup', email: 'dup@two.example', phone: '14155550201' }], inboxes: [] })] }, /member id 1 is used by team 1 and team 2/],
    [
      'an inbox listing a member of another team',
      { teams: [team2({ inboxes: [{ id: 20, name: 'X', phone: '14155550200', members: [21, 1] }] })] },
      /inbox 20 lists member 1, which is not in team 2/,
    ],
    ['an API key used by two teams', { teams: [team2({ api_keys: [DEFAULT_API_KEY] })] }, /API key .* is used by team 1 and team 2/],
    ['a contact with an unknown custom field title', { teams: [team2({ contacts: [{ phone: '14155551234', custom: { Nope: 'x' } }] })] }, /custom field "Nope" is not in fields/],
    ['a contact with an unknown tag label', { teams: [team2({ contacts: [{ phone: '14155551234', tags: ['Nope'] }] })] }, /tag "Nope" is not in tags/],
    ['an unknown key', { teams: [team2({ colour: 'red' })] }, /teams\.0: has unknown field "colour"/],
  ];
  for (const [name, content, message] of invalid) {
    it(`refuses ${name} with a readable error`, async () => {
      await expect(startApp({ seed: writeSeed(content) })).rejects.toThrow(message);
    });
  }

  it('refuses a seed file that is not JSON, naming the file', async () => {
    const path = writeSeedText('{ not json');
    await expect(startApp({ seed: path })).rejects.toThrow(`seed file ${path}: `);
  });
});
