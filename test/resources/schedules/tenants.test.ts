import { describe, expect, it } from 'vitest';
import { AUTH2, body, createList, createSchedule, createTemplate, expectRejected, MIN, PHONE, runSchedules, scheduleRows, start } from './support.js';

// Tenant isolation: a team never sees, changes or sends through another team's schedules or data.

describe('schedules across teams', () => {
  it("answers 404 to team 1 for team 2's schedule on every endpoint, and changes nothing", async () => {
    const { t, auth } = await start({ twoTeams: true });
    const res = await t.http.post('/v1/schedule').set('Authorization', AUTH2).send(body({ inbox_id: 20 }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: 1, team_id: 2, inbox_id: 20, user_id: 21 }));
    await expectRejected(t, () => t.http.get('/v1/schedule/1').set('Authorization', auth), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.put('/v1/schedule/1').set('Authorization', auth).send(body()), 404, 'not_found', 'id');
    await expectRejected(t, () => t.http.delete('/v1/schedule/1').set('Authorization', auth), 404, 'not_found', 'id');
    // Team 2 still sees its own.
    expect((await t.http.get('/v1/schedule/1').set('Authorization', AUTH2)).body).toEqual(res.body);
  });

  it("refuses another team's inbox, member, template, list and conversation", async () => {
    const { t, auth } = await start({ twoTeams: true });
    const tpl = await createTemplate(t, auth, 'Team 1 template');
    const list = await createList(t, auth, [PHONE]);
    await createSchedule(t, auth); // sent below, so team 1 has a conversation
    t.clock.advance(15 * MIN);
    await runSchedules(t);
    const conv = t.sql<{ id: number }>('SELECT id FROM conversations WHERE team_id = 1')[0]!.id;
    const before = scheduleRows(t);

    const post = (b: Record<string, unknown>) => () => t.http.post('/v1/schedule').set('Authorization', AUTH2).send(b);
    const later = (over: Record<string, unknown>) => body({ inbox_id: 20, execute_at: new Date(t.clock.now() + 15 * MIN).toISOString(), ...over });
    await expectRejected(t, post(later({ inbox_id: 10 })), 400, 'bad_data', 'inbox_id');
    const member = await expectRejected(t, post(later({ user_id: 1 })), 403, 'denied', 'user_id');
    expect(member.body.message).toMatch(/not a member of this team/);
    await expectRejected(t, post(later({ content: { template: tpl } })), 400, 'bad_data', 'content.template');
    await expectRejected(t, post(later({ phone_number: undefined, list_id: list })), 400, 'bad_data', 'list_id');
    await expectRejected(t, post(later({ phone_number: undefined, conversation_id: conv })), 400, 'bad_data', 'conversation_id');
    expect(scheduleRows(t)).toEqual(before);
  });
});
