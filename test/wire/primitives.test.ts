import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { required, wireParse } from '../../src/wire/primitives.js';
import { DEFAULT_API_KEY } from '../../src/config.js';
import { expectApiError, startApp } from '../support/app.js';

describe('"is required" messages are the mock\'s own, per parse', () => {
  it("leaves an embedding program's zod messages alone once the app is built", async () => {
    const t = await startApp();
    const res = await t.http.post('/v1/message/send').set('Authorization', `Bearer ${DEFAULT_API_KEY}`).send({});
    expectApiError(res, 400, 'bad_data', 'inbox_id');
    expect(res.body.message).toBe('inbox_id: is required');

    // The user's own schemas, parsed the user's way, get zod's default messages.
    const own = z.object({ a: z.string() }).safeParse({});
    expect(own.success).toBe(false);
    expect(own.error!.issues[0]!.message).toBe('Invalid input: expected string, received undefined');
    expect(z.config().customError).toBeUndefined();
    // Even a schema made with required(): its hint only shows in the mock's own parses.
    const hinted = z.object({ a: required(z.string(), 'is required (the a)') });
    expect(hinted.safeParse({}).error!.issues[0]!.message).toBe('Invalid input: expected string, received undefined');
    expect(hinted.safeParse({}, wireParse).error!.issues[0]!.message).toBe('is required (the a)');
  });

  it('says "is required" only for a missing value: a wrong type keeps its own message', () => {
    const schema = z.object({ a: z.string(), b: required(z.number(), 'is required (b)') });
    const missing = schema.safeParse({}, wireParse).error!.issues.map((i) => i.message);
    expect(missing).toEqual(['is required', 'is required (b)']);
    const wrong = schema.safeParse({ a: 1, b: 'x' }, wireParse).error!.issues.map((i) => i.message);
    expect(wrong).toEqual(['Invalid input: expected string, received number', 'Invalid input: expected number, received string']);
  });
});
