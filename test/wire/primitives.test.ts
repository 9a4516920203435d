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

  it('says "is required" only for a missing value; a wrong type says what to send instead of zod\'s wording', () => {
    const schema = z.object({ a: z.string(), b: required(z.number(), 'is required (b)') });
    const missing = schema.safeParse({}, wireParse).error!.issues.map((i) => i.message);
    expect(missing).toEqual(['is required', 'is required (b)']);
    const wrong = schema.safeParse({ a: 1, b: 'x' }, wireParse).error!.issues.map((i) => i.message);
    expect(wrong).toEqual(['must be a string (got the number 1)', 'must be a number (got the string "x")']);
  });

  it('replaces raw zod wording (NaN, null, Invalid input, Too big) with what to send', () => {
    const msg = (schema: z.ZodType, v: unknown) => schema.safeParse(v, wireParse).error!.issues[0]!.message;
    expect(msg(z.number(), Number.NaN)).toBe('must be a number (got NaN)');
    expect(msg(z.object({}), null)).toBe('must be a JSON object (got null)');
    expect(msg(z.union([z.string(), z.number()]), true)).toMatch(/^has a form this field does not take \(got boolean\)/);
    expect(msg(z.enum(['a', 'b']), 'c')).toBe('must be one of "a", "b"');
    expect(msg(z.string().max(3), 'abcd')).toBe('must be at most 3 characters');
    expect(msg(z.array(z.number()).min(2), [1])).toBe('must be at least 2 items');
    expect(msg(z.string().min(1), '')).toBe('must not be empty');
    expect(msg(z.strictObject({}), { x: 1 })).toBe('has unknown field "x"');
    // A schema's own message still wins.
    expect(msg(z.string().max(3, 'keep it short'), 'abcd')).toBe('keep it short');
  });
});
