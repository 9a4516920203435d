import Fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import { checkSteps, MAX_DEPTH, registerJsonBody } from '../../src/http/json-body.js';
import { registerStreamingJsonBody } from '../../src/http/json-stream.js';
import { open, readResponse } from '../support/raw-http.js';

// src/http/json-stream.ts must answer every body exactly as src/http/json-body.ts does, while
// parsing in slices that leave the event loop free. Each body goes to a route of the normal parser
// and to one of the streaming parser, in one piece with a Content-Length and as a stream of small
// chunks without one (so every UTF-8 sequence and token is split somewhere).

const BIG = 64 * 1024 * 1024;
const SMALL = 1000;

interface Answer {
  status: number;
  body: unknown;
  /** What the route saw as request.body. */
  seen: unknown;
}

let app: FastifyInstance;
let seen: unknown;
let errors: Error[];
let parsing: (() => void) | undefined;

async function build() {
  app = Fastify({ logger: false });
  errors = [];
  registerErrorHandling(app);
  registerJsonBody(app);
  app.addHook('onError', async (_req, _reply, err) => void errors.push(err));
  const handler = async (req: { body: unknown }) => {
    seen = req.body;
    return { ok: true };
  };
  app.post('/whole', { bodyLimit: BIG }, handler);
  app.post('/whole-small', { bodyLimit: SMALL }, handler);
  await app.register(async (big) => {
    registerStreamingJsonBody(big, { bodyLimit: BIG });
    big.addHook('preParsing', async () => parsing?.());
    big.post('/stream', { bodyLimit: BIG }, handler);
  });
  await app.register(async (small) => {
    registerStreamingJsonBody(small, { bodyLimit: SMALL });
    small.post('/stream-small', { bodyLimit: SMALL }, handler);
  });
  await app.ready();
}

afterEach(async () => {
  await app?.close();
});

const chunks = (bytes: Buffer, size: number) => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));

async function send(url: string, body: Buffer | Readable, contentType = 'application/json'): Promise<Answer> {
  seen = 'not called';
  const res = await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } });
  return { status: res.statusCode, body: res.json(), seen };
}

/** The normal parser's answer, after checking the streaming parser gives the same, whole and in chunks. */
async function sameAnswer(input: string | Buffer, small = false): Promise<Answer> {
  const bytes = Buffer.from(input);
  const whole = await send(small ? '/whole-small' : '/whole', bytes);
  const sizes = bytes.length > 100_000 ? [4999] : [1, 7];
  for (const body of [bytes, ...sizes.map((size) => chunks(bytes, size))]) {
    const streamed = await send(small ? '/stream-small' : '/stream', body);
    expect(streamed.status, JSON.stringify(streamed.body)).toBe(whole.status);
    expect(streamed.body).toStrictEqual(whole.body);
    expect(streamed.seen).toStrictEqual(whole.seen);
  }
  return whole;
}

const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const BOM = [0xef, 0xbb, 0xbf];

describe('the streaming JSON body parser answers as the normal one', () => {
  it('passes valid bodies through as JSON.parse reads them', async () => {
    await build();
    for (const text of [
      '{"phone":"14155551234","first":"Ann","tags":[1,2.5,-0,1e3,-1.5E-7,true,false,null],"a":{}}',
      '{"a":{"b":["é","中文","😀",{"c":"\\u00e9\\ud83d\\ude00\\n\\"\\\\\\/"}]}}',
      '{"😀":1,"a😀b":{"🎉":"x"},"2":0,"1":1,"dup":1,"dup":{"x":[]}}',
      '{"constructor":{"prototype":1},"constructor":1,"a":"__proto__","prototype":{}}',
      ' [ "str" , 42 ] \n',
      '"str"',
      '42',
      'null',
      nested(MAX_DEPTH),
    ]) {
      const res = await sameAnswer(text);
      expect(res.status, text).toBe(200);
      expect(res.seen).toStrictEqual(JSON.parse(text));
    }
    const res = await sameAnswer(bytes(BOM, '{"bom":true}'));
    expect(res.seen).toStrictEqual({ bom: true });
    // Read as JSON whatever the Content-Type says.
    const form = await send('/stream', chunks(Buffer.from('{"a":1}'), 2), 'application/x-www-form-urlencoded');
    expect(form).toMatchObject({ status: 200, seen: { a: 1 } });
  });

  it('takes an empty or all-whitespace body as no body', async () => {
    await build();
    for (const text of ['', ' \n\t\r ', '\u00a0\u3000\ufeff', bytes(BOM, '  ')]) {
      const res = await sameAnswer(text);
      expect(res.status).toBe(200);
      expect(res.seen).toBeUndefined();
    }
  });

  it('refuses malformed and truncated JSON with the same 400 invalid_json', async () => {
    await build();
    for (const text of ['{"a":x}', '{"a" 1}', '[1,]', '{"a":1,}', '{"a":1}x', '01', '1 2', '{"a":"\\x"}', '{"a":"\u0001"}', '{"a":"\\u12g4"}', '\u00a0{}']) {
      const res = await sameAnswer(text);
      expect(res.body, text).toMatchObject({ error: 'bad_data', error_code: 'invalid_json', message: expect.stringMatching(/^body is not valid JSON: /) });
    }
    for (const text of ['{"a":1', '{"a":', '"abc', '[1,2', '-', '1.', '1e', 'tru', '{"__proto__":1} x', nested(40, '"x"').slice(0, -1)]) {
      const res = await sameAnswer(text);
      expect(res.body, text).toMatchObject({ error_code: 'invalid_json', message: expect.stringMatching(/^body is not valid JSON: /) });
    }
  });

  it('refuses bytes that are not UTF-8 naming the same offset, even before malformed JSON', async () => {
    await build();
    const res = await sameAnswer(bytes('{"phone":"14155551234","first":"a', [0xff], '"}'));
    expect(res.body).toMatchObject({ error_code: 'invalid_unicode', field: 'body', message: 'body: is not valid UTF-8 (invalid byte 0xff at offset 33); send the JSON text encoded as UTF-8' });
    for (const [input, offset] of [
      [bytes('{"a":"', [0xed, 0xa0, 0x80], '"}'), 6], // an encoded surrogate
      [bytes('{"a":"', [0xe2, 0x82], '"}'), 6], // a sequence cut short
      [bytes('{"a":"', [0xf0, 0x9f, 0x98]), 6], // ... by the end of the body
      [bytes(BOM, 'x', [0xc3, 0x28]), 4], // after a syntax error
      [bytes('{"a":"😀', [0x80]), 10],
    ] as const) {
      const r = await sameAnswer(input);
      expect(r.body).toMatchObject({ error_code: 'invalid_unicode', message: expect.stringContaining(`at offset ${offset});`) });
    }
  });

  it('refuses a lone surrogate naming the same field, in the same order as the normal walk', async () => {
    await build();
    for (const [text, field] of [
      ['{"phone":"14155551234","first":"a\\ud800b"}', 'first'],
      ['{"custom":{"\\ud800":"x"}}', 'custom'],
      ['[1,{"x":["ok","\\udfff"]}]', '[1].x[1]'],
      [`[${nested(40)},"\\ud800"]`, '[1]'],
      [`{"a":${nested(40)},"b":{"c":"\\ud800"}}`, 'b.c'],
    ] as const) {
      const res = await sameAnswer(text);
      expect(res.body, text).toMatchObject({ error_code: 'invalid_unicode', field });
    }
    const bare = await sameAnswer('"\\udc00"');
    expect(bare.body).toMatchObject({ error_code: 'invalid_unicode', message: expect.stringMatching(/^body: holds a lone UTF-16 surrogate/) });
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} naming the same path`, async () => {
    await build();
    const res = await sameAnswer(nested(MAX_DEPTH + 1));
    expect(res.body).toMatchObject({ error_code: 'invalid_json', field: '[0]'.repeat(MAX_DEPTH) });
    const batch = await sameAnswer(`{"contacts":[{"a":1},{"b":${nested(10_000)}}]}`);
    expect(batch.body).toMatchObject({ error_code: 'invalid_json', field: `contacts[1].b${'[0]'.repeat(MAX_DEPTH - 3)}` });
  });

  it('refuses "__proto__" and "constructor.prototype" anywhere, as secure-json-parse does', async () => {
    await build();
    for (const text of ['{"__proto__":{"x":1}}', '{"a":[{"b":{"__proto__":null}}]}', '{"\\u005f_proto__":1}', '{"constructor":{"prototype":{}}}', '[{"a":{"constructor":{"x":1,"prototype":1}}}]']) {
      const res = await sameAnswer(text);
      expect(res.body, text).toMatchObject({ error_code: 'invalid_json', message: expect.stringContaining('prototype pollution') });
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('answers 413 past the limit, with a Content-Length up front and without one as bytes come', async () => {
    await build();
    const over = Buffer.from(JSON.stringify({ a: 'x'.repeat(SMALL) }));
    const res = await sameAnswer(over, true);
    expect(res).toMatchObject({ status: 413, body: { error: 'payload_too_large', message: `request body is larger than the limit of ${SMALL} bytes` } });
    const atLimit = await sameAnswer(JSON.stringify({ a: 'x'.repeat(SMALL - 8) }), true);
    expect(atLimit.status).toBe(200);
  });

  it('agrees on arbitrary near-JSON text, cut into arbitrary chunks', async () => {
    await build();
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'u', 'd800', 'dc00', '0', '1', '-', '.', 'e', 'true', 'null', ' ', '\n', 'é', '😀', '__proto__', 'constructor', 'prototype', 'a');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), async (parts, size) => {
        const input = Buffer.from(parts.join(''));
        const whole = await send('/whole', input);
        const streamed = await send('/stream', chunks(input, size));
        expect(streamed).toStrictEqual(whole);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.json(), async (text) => {
        expect(await send('/stream', chunks(Buffer.from(text), 3))).toStrictEqual(await send('/whole', Buffer.from(text)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a body too large to keep its text', () => {
  // Past 256 KiB the text is not kept for JSON.parse's own words (see EXACT_TEXT): the answer is the
  // same but for the message, which names the byte offset.
  const long = '[' + '1,'.repeat(150_000);

  it('refuses malformed JSON with the same status, error code and field, naming the byte offset', async () => {
    await build();
    for (const [input, reason] of [
      [bytes(long, 'x]'), `Unexpected token at byte offset ${long.length}`],
      [bytes(BOM, long, ']'), `Unexpected token at byte offset ${long.length + 3}`],
      [bytes(long, '1'), 'Unexpected end of JSON input'],
    ] as const) {
      const whole = await send('/whole', input);
      for (const body of [input, chunks(input, 5000)]) {
        const streamed = await send('/stream', body);
        expect(streamed.status).toBe(whole.status);
        expect(streamed.body).toStrictEqual({ ...(whole.body as object), message: `body is not valid JSON: ${reason}`, errors: [{ error_code: 'invalid_json', message: `body is not valid JSON: ${reason}` }] });
      }
    }
  });

  it('answers every other refusal exactly', async () => {
    await build();
    await sameAnswer(bytes(long, '{"__proto__":1}]'));
    await sameAnswer(bytes(long, '"\\ud800"]'));
    await sameAnswer(bytes(long, nested(40), ']'));
    await sameAnswer(bytes(long, '"', [0xff], '"]'));
  });
});

describe('the walk after the parse', () => {
  it('pauses every few items and still finds what the whole walk finds', () => {
    // Objects are walked last key first: "a" comes after the 300 items under "c".
    const body = { a: { d: '\ud800' }, c: Array.from({ length: 100 }, (_, i) => ({ i, s: 'x' })) };
    const whole = checkSteps(body).next();
    expect(whole).toMatchObject({ done: true, value: { field: 'a.d' } });
    for (const every of [1, 7, 50]) {
      const steps = checkSteps(body, every);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(step.value).toStrictEqual(whole.value);
      expect(pauses).toBeGreaterThan(1);
    }
  });
});

describe('parsing a large body', () => {
  it('leaves the event loop turning while it parses, and reads what JSON.parse reads', async () => {
    await build();
    const contacts = Array.from({ length: 90_000 }, (_, i) => ({
      id: i,
      phone_number: `1415${String(i).padStart(7, '0')}`,
      first: `Zoë ${i}`,
      last: 'Müller-😀',
      email: `user${i}@example.com`,
      tags: [1, 2, i],
      custom: { '1': 'x'.repeat(20), note: 'hello "world"\n' },
      opted_out: i % 2 === 0,
      score: i * 1.5,
    }));
    const text = JSON.stringify({ team: { name: 'big' }, contacts });
    expect(text.length).toBeGreaterThan(20_000_000);
    let turns = 0;
    let parsed = false;
    const tick = () => {
      turns++;
      if (!parsed) setImmediate(tick);
    };
    // Sent as one chunk: any interleaving comes from the parser handing the loop back.
    const answer = send('/stream', Buffer.from(text)).finally(() => (parsed = true));
    setImmediate(tick);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(turns).toBeGreaterThan(50);
    deepStrictEqual(res.seen, JSON.parse(text));
  }, 120_000);
});

describe('over a socket', () => {
  async function listen() {
    await build();
    await app.listen({ host: '127.0.0.1', port: 0 });
    return (app.server.address() as AddressInfo).port;
  }
  const head = (path: string, headers: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${headers}\r\n`;

  it('answers 413 and stops reading, with a Content-Length up front and chunked', async () => {
    const port = await listen();
    const declared = await open(port);
    const first = readResponse(declared);
    declared.write(head('/stream-small', `Content-Length: ${SMALL + 1}\r\n`));
    expect((await first).status).toBe(413);
    declared.destroy();

    const chunked = await open(port);
    const second = readResponse(chunked);
    chunked.write(head('/stream-small', 'Transfer-Encoding: chunked\r\n'));
    const part = '"' + 'x'.repeat(300) + '",';
    chunked.write(`${(1).toString(16)}\r\n[\r\n`);
    for (let i = 0; i < 5; i++) chunked.write(`${part.length.toString(16)}\r\n${part}\r\n`);
    const res = await second;
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(res.json).toMatchObject({ error: 'payload_too_large' });
    chunked.destroy();
  });

  it('settles when the client goes away mid-body: the request fails with a 400, nothing hangs', async () => {
    const port = await listen();
    const started = new Promise<void>((resolve) => (parsing = resolve));
    const socket = await open(port);
    socket.write(head('/stream', 'Content-Length: 1000000\r\n') + '{"contacts":[' + '{"a":1},'.repeat(10_000));
    await started;
    socket.destroy();
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(1);
    expect(errors[0]).toMatchObject({ statusCode: 400 });
    parsing = undefined;
  });
});
