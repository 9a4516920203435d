import { describe, expect, it } from 'vitest';
import { MAX_CUSTOM_KEYS } from '../../../src/resources/contacts/schemas.js';
import { expectRejected } from '../../support/app.js';
import { createField, start } from './support.js';

// Custom field ids are checked in one query that binds them as one JSON parameter (src/db/json-in.ts);
// a `custom` map holds at most MAX_CUSTOM_KEYS keys (README "Request limits", issue #11.1).

describe('POST /v1/contact with many custom keys', () => {
  it('the most keys (1000): 400 naming the first key that is not a field of the team; nothing written', async () => {
    const { t, auth } = await start();
    const known = await createField(t, auth, 'Plan');
    const custom: Record<string, string> = { [String(known)]: 'gold' };
    for (let i = 0; i < MAX_CUSTOM_KEYS - 1; i++) custom[String(1000 + i)] = 'x';
    await expectRejected(t, () => t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551001', custom }), 400, 'bad_data', 'custom.1000');
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 0 }]);
  }, 60_000);

  it('40 000 keys: 400 too_many_items naming custom; nothing written', async () => {
    const { t, auth } = await start();
    const custom: Record<string, string> = {};
    for (let i = 0; i < 40_000; i++) custom[String(1000 + i)] = 'x';
    const res = await expectRejected(t, () => t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551001', custom }), 400, 'bad_data', 'custom');
    expect(res.body).toHaveProperty('error_code', 'too_many_items');
    expect(res.body.message).toBe('custom: must hold at most 1000 keys (got 40000); send several requests if you need more');
  }, 60_000);
});
