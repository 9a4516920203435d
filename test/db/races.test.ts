import { describe, expect, it } from 'vitest';
import { apiFor, createContact, start } from '../support/api.js';
import { count, N1, send, sms } from '../resources/messages/support.js';

// 50-way races inside one process (issue #11, Tests: Races): every write is its own transaction,
// IMMEDIATE, with its reads inside it.

describe('50 concurrent requests on one record', () => {
  it('50 identical local_id sends → one message, and every answer is that message', async () => {
    const { t, auth } = await start();
    const body = sms(N1, { text: 'exactly once', local_id: '5b0c3f0e-3c1a-4d7e-9a55-2f6e0b9c1d42' });
    const results = await Promise.all(Array.from({ length: 50 }, () => send(t, auth, body)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(count(t, 'messages')).toBe(1);
    expect(count(t, 'send_keys')).toBe(1);
  });

  it('50 updates of one contact (v1 and v2) → revs 2…51, each once; the final state is one of the writes', async () => {
    const { t, api } = await start();
    const c = await createContact(api, { phone: '14155550142', first: 'Start' });
    const names = Array.from({ length: 50 }, (_, i) => `Name${i}`);
    const results = await Promise.all(
      names.map((first, i) => (i % 2 ? api.put(`/v1/contact/${c.id}`, { phone: '14155550142', first }) : api.put(`/v2/contact/${c.uuid}`, { first }))),
    );
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const revs = results.map((r) => r.body.rev as number).sort((a, b) => a - b);
    expect(revs).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    const stored = t.sql<{ rev: number; first: string }>('SELECT rev, first FROM contacts WHERE id = ?', c.id)[0]!;
    expect(stored.rev).toBe(51);
    expect(names).toContain(stored.first);
    // The write that got rev 51 is the one whose value stayed.
    expect(names[results.findIndex((r) => r.body.rev === 51)]).toBe(stored.first);
    expect((await apiFor(t).get(`/v2/contact/${c.uuid}`)).body.first).toBe(stored.first);
  });
});
