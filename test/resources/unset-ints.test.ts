import { describe, expect, it } from 'vitest';
import { apiFor, ok, start } from '../support/api.js';

// Issue #8 item 6 (docs/decisions.md K12): an unset integer answers 0 and an unset timestamp Go's
// zero time, never null, so clients generated from Heymarket's schema parse every answer.

const ZERO_TIME = '0001-01-01T00:00:00Z';
const PHONE = '14155551234';

describe('unset integers answer 0, unset timestamps zero time', () => {
  it('a conversation a customer opened: assigned 0, creator 0, snooze_till zero time; its inbound message: user 0, broadcast_id 0', async () => {
    const { t, api } = await start();
    const r = await api.post('/__mock/inbound', { inbox_id: 10, from: PHONE, text: 'Hello' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const conv = await ok(api.get(`/v1/conversations/${r.body.conversation_id}`));
    expect(conv).toMatchObject({ assigned: 0, creator: 0, snooze_till: ZERO_TIME });
    expect(conv.last_inbound).toBeGreaterThan(0);
    const [msg] = await ok(api.get('/v1/messages', { inboxID: 10, phoneNumber: PHONE }));
    expect(msg).toMatchObject({ type: 'inbound', user: 0, broadcast_id: 0, conversation: { assigned: 0, creator: 0 } });
    // The webhook's event_data carries the same message.
    const events = await ok(api.get('/__mock/events', { type: 'message_recieved' }));
    expect(events.entries[0].event_data).toMatchObject({ user: 0, broadcast_id: 0, conversation: { assigned: 0, creator: 0, snooze_till: ZERO_TIME } });
    expect(t.takeViolations()).toEqual([]);
  });

  it('a send from an inbox that does not auto-assign: assigned 0 and last_inbound 0 (no inbound yet); no broadcast: broadcast_id 0', async () => {
    const { api } = await start();
    const sent = await ok(api.post('/v1/message/send', { inbox_id: 11, creator_id: 1, phone_number: PHONE, text: 'hi' }));
    const [msg] = await ok(api.get('/v1/messages', { inboxID: 11, phoneNumber: PHONE }));
    expect(msg).toMatchObject({ id: sent.id, user: 1, broadcast_id: 0, conversation: { inbox: 11, assigned: 0, creator: 1, last_inbound: 0 } });
    const list = await ok(api.post('/v1/conversations', {}));
    expect(list).toEqual([expect.objectContaining({ assigned: 0, last_inbound: 0, snooze_till: ZERO_TIME })]);
  });

  it('a contact with no owner: assigned_user_id 0, inbox_id 0, parent_id 0 (v1 and v2)', async () => {
    const { api } = await start();
    const { id, uuid } = await ok(api.post('/v1/contact', { phone: PHONE, assignee_id: -1 }));
    expect(await ok(api.get(`/v1/contact/${id}`))).toMatchObject({ assigned_user_id: 0, inbox_id: 0, parent_id: 0 });
    expect(await ok(api.get(`/v2/contact/${uuid}`))).toMatchObject({ assigned_user_id: 0, inbox_id: 0, parent_id: 0 });
  });

  it('a scheduled text message: template, local_day, conversation_id, list_id, campaign ids and message_id 0; local_time zero time', async () => {
    const { t, api } = await start();
    const s = await ok(api.post('/v1/schedule', { inbox_id: 10, execute_at: new Date(Date.UTC(2026, 0, 15, 12, 30)).toISOString(), phone_number: PHONE, content: { text: 'Hello' } }));
    expect(s).toMatchObject({
      message_id: 0,
      meta: { content: { template: 0, local_day: 0, local_time: ZERO_TIME }, conversation_id: 0, list_id: 0, campaign_id: 0, campaign_step_id: 0 },
    });
    expect(await ok(apiFor(t).get(`/v1/schedule/${s.id}`))).toEqual(s);
  });

  it('the OpenAPI document types no /v1 or /v2 response integer as nullable', async () => {
    const { t } = await start();
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const found: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      const types = Array.isArray(n.type) ? n.type : [n.type];
      if ((types.includes('integer') || types.includes('number')) && (n.nullable === true || types.includes('null'))) found.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}.${k}`);
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/') && !path.startsWith('/v2/')) continue;
      for (const [method, op] of Object.entries(ops)) walk(op.responses, `${method.toUpperCase()} ${path}`);
    }
    expect(found).toEqual([]);
    // The walk does see integers there (it is not looking at nothing).
    expect(JSON.stringify(doc.paths['/v1/conversations/{id}'])).toContain('"integer"');
  });
});
