import { describe, expect, it } from 'vitest';
import { expectApiError } from '../../support/app.js';
import { createField, start } from './support.js';

// Custom field ids are checked in one query that binds them as one JSON parameter (src/db/json-in.ts):
// more keys than SQLite binds parameters (32 766) is a 400 naming the first unknown one, not a 500.

describe('POST /v1/contact with 40 000 custom keys', () => {
  it('400 naming the first key that is not a field of the team; nothing written', async () => {
    const { t, auth } = await start();
    const known = await createField(t, auth, 'Plan');
    const custom: Record<string, string> = { [String(known)]: 'gold' };
    for (let i = 0; i < 40_000; i++) custom[String(1000 + i)] = 'x';
    const res = await t.http.post('/v1/contact').set('Authorization', auth).send({ phone: '14155551001', custom });
    expectApiError(res, 400, 'bad_data', 'custom.1000');
    expect(t.sql('SELECT count(*) AS n FROM contacts')).toEqual([{ n: 0 }]);
  }, 60_000);
});
