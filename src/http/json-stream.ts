import { JSONParser, TokenizerError, TokenType } from '@streamparser/json';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { finished, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ApiError } from '../core/errors.js';
import { badJson, checkSteps, isLone, MAX_DEPTH, notJson, notUtf8, prototypePollution } from './json-body.js';

/**
 * registerJsonBody's body rules, with the same answer for every body, for routes whose bodies are
 * too large to read in one synchronous step (the control plane's teams and snapshots, up to
 * LARGE_BODY_LIMIT): the body is decoded and parsed as it arrives, a few KiB at a time, and the
 * event loop gets a turn every TURN_MS; the checks after the parse are spread over turns the same way.
 *
 * Call inside an encapsulated plugin, before its routes: it replaces that context's parsers. Fastify
 * applies no bodyLimit to a parser that reads the stream itself, so `bodyLimit` is enforced here
 * with Fastify's own 413 error; declare the same bodyLimit on the route, since the error handler's
 * message names the route's.
 */
export function registerStreamingJsonBody(app: FastifyInstance, opts: { bodyLimit: number }) {
  const parse = (request: FastifyRequest, payload: IncomingMessage) => readJson(payload, Number(request.headers['content-length']), opts.bodyLimit);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', parse);
  app.addContentTypeParser('*', parse);
}

/** Bytes parsed in one call: even the parser's cold (not yet optimised) code takes about a millisecond. */
const PIECE = 4096;
/** Work done before the event loop gets a turn. */
const TURN_MS = 5;
/** Array items or object keys checkSteps visits between two looks at the clock. */
const WALK_STEP = 4096;
/**
 * A body up to this size keeps its text, so that a malformed one gets JSON.parse's own words from
 * badJson, as registerJsonBody gives them; JSON.parse of it takes a few milliseconds at most.
 * A larger one is not kept twice for that: its message names the byte offset instead.
 */
const EXACT_TEXT = 256 * 1024;

async function readJson(payload: IncomingMessage, declared: number, limit: number): Promise<unknown> {
  // Fastify's own checks of a body it reads itself (rawBody in fastify/lib/content-type-parser.js).
  if (declared > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  const turns = new Turns();
  const body = new StreamedJson();
  const received = await receive(payload, limit, async (chunk) => {
    for (let at = 0; at < chunk.length; at += PIECE) {
      body.push(chunk.subarray(at, at + PIECE));
      await turns.pass();
    }
  });
  if (!Number.isNaN(declared) && received !== declared) throw new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH();
  return body.end(turns);
}

/**
 * Reads `payload` as fast as it comes, refusing it (413) as soon as more than `limit` bytes have
 * arrived, and hands its chunks to `take` in order, one at a time; resolves with the byte count once
 * the stream has ended and every chunk was taken. Not waiting for the parser keeps the request's
 * time under requestTimeout (which runs until the last byte is received) that of the transfer, and
 * the 413 as early as Fastify's; the chunks not yet taken are held meanwhile, at most the body,
 * which the normal parser holds whole. A stream error, such as a client gone mid-body, rejects it
 * (400, as Fastify marks them) rather than leaving it pending. After a refusal the rest of the body
 * is read and dropped, as Fastify does.
 */
function receive(payload: Readable, limit: number, take: (chunk: Buffer) => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let taking = Promise.resolve();
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      stopWatching();
      payload.off('data', onData);
      if (err) reject(err);
      else resolve(received);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      taking = taking.then(() => (settled ? undefined : take(chunk))).catch(settle);
    };
    const stopWatching = finished(payload, (err) => {
      if (!err) return void taking.then(() => settle());
      const status = (err as { statusCode?: unknown }).statusCode;
      settle(typeof status === 'number' && status >= 400 ? err : Object.assign(err, { statusCode: 400 }));
    });
    payload.on('data', onData);
  });
}

/** Hands the event loop back once TURN_MS of work has run since it last had it. */
class Turns {
  private since = performance.now();

  async pass(): Promise<void> {
    if (performance.now() - this.since < TURN_MS) return;
    await nextTurn();
    this.since = performance.now();
  }
}

const EMPTY = new Uint8Array(0);

/**
 * One body as it arrives: decoded strictly (for its validity only: the parser reads the bytes),
 * tokenized and assembled by @streamparser/json, and every problem registerJsonBody would name
 * noted on the way, so that end() gives its answer, in its order of precedence: not UTF-8, blank
 * (no body), malformed or polluting (secure-json-parse's refusal), then the first problem
 * checkSteps meets. The tokens tell whether that last walk is needed at all.
 */
class StreamedJson {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly parser = new JSONParser();
  private received = 0;
  /** The body's first three bytes: the parser's token offsets leave out a leading BOM. */
  private readonly head: number[] = [];
  /** The UTF-8 sequence the bytes so far leave unfinished, which a later byte may prove invalid. */
  private open: Uint8Array = EMPTY;
  private invalid: ApiError | undefined;
  /** Only whitespace so far (String.prototype.trim's, as registerJsonBody tests it). */
  private blank = true;
  /** The text so far, while it is at most EXACT_TEXT bytes. */
  private text: string[] | undefined = [];
  /** Where the parser found the text malformed: a byte offset, or 'end' when the text stops short. */
  private malformed: number | 'end' | undefined;
  private polluting = false;
  private lone = false;
  private depth = 0;
  private deepest = 0;
  private tokenAt = 0;
  private root: unknown;

  constructor() {
    this.parser.onToken = ({ token, value, offset }) => {
      this.tokenAt = offset;
      if (token === TokenType.STRING) this.lone ||= isLone(value as string);
      else if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.deepest = Math.max(this.deepest, ++this.depth);
      else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) this.depth--;
    };
    // Every value once complete: the last one is the root.
    this.parser.onValue = ({ value, stack }) => {
      if (stack.length === 0) this.root = value;
      if (typeof value === 'object' && value !== null) this.polluting ||= pollutes(value);
    };
  }

  push(piece: Uint8Array) {
    // The first invalid byte is the answer whatever follows (unless the body proves too large).
    if (this.invalid) return;
    for (let i = 0; this.head.length < 3 && i < piece.length; i++) this.head.push(piece[i]!);
    let text: string;
    try {
      text = this.decoder.decode(piece, { stream: true });
    } catch {
      this.invalid = notUtf8(Buffer.concat([this.open, piece]), this.received - this.open.length);
      return;
    }
    this.open = unfinished(this.open, piece);
    this.received += piece.length;
    if (this.text && this.received <= EXACT_TEXT) this.text.push(text);
    else this.text = undefined;
    this.blank &&= text.trim() === '';
    if (this.malformed !== undefined) return;
    try {
      this.parser.write(piece);
    } catch (e) {
      this.malformed = this.offsetOf(e);
    }
  }

  async end(turns: Turns): Promise<unknown> {
    if (!this.invalid) {
      try {
        this.decoder.decode();
      } catch {
        this.invalid = notUtf8(this.open, this.received - this.open.length);
      }
    }
    if (this.invalid) throw this.invalid;
    if (this.blank) return undefined;
    if (this.malformed === undefined && !this.parser.isEnded) {
      try {
        this.parser.end();
      } catch {
        this.malformed = 'end';
      }
    }
    if (this.malformed !== undefined || this.polluting) {
      if (this.text) throw badJson(this.text.join(''));
      if (this.malformed === undefined) throw prototypePollution();
      throw notJson(this.malformed === 'end' ? 'Unexpected end of JSON input' : `Unexpected token at byte offset ${this.malformed}`);
    }
    if (!this.lone && this.deepest <= MAX_DEPTH) return this.root;
    const steps = checkSteps(this.root, WALK_STEP);
    let step = steps.next();
    while (!step.done) {
      await turns.pass();
      step = steps.next();
    }
    if (step.value) throw step.value;
    return this.root;
  }

  /** The byte offset in the body where the parser gave up. */
  private offsetOf(err: unknown): number {
    if (err instanceof TokenizerError) return Number(/absolute position "(\d+)"/.exec(err.message)?.[1] ?? this.received);
    const [a, b, c] = this.head;
    return this.tokenAt + (a === 0xef && b === 0xbb && c === 0xbf ? 3 : 0);
  }
}

/** The bytes of the UTF-8 sequence that `before` + `piece` (valid so far) leave unfinished. */
function unfinished(before: Uint8Array, piece: Uint8Array): Uint8Array {
  // A sequence is at most 4 bytes, so an unfinished one is within the last 3.
  const end = piece.length >= 3 ? piece.subarray(-3) : Buffer.concat([before, piece]).subarray(-3);
  for (let i = end.length - 1; i >= 0; i--) {
    const c = end[i]!;
    if (c < 0x80) return EMPTY;
    if (c >= 0xc0) return end.length - i < (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) ? new Uint8Array(end.subarray(i)) : EMPTY;
  }
  return EMPTY;
}

/**
 * secure-json-parse's test of one object, which registerJsonBody's parser applies to every object
 * (options 'error', 'error'): an own "__proto__", or an own "constructor" object with an own "prototype".
 */
function pollutes(o: object): boolean {
  if (Object.hasOwn(o, '__proto__')) return true;
  const c: unknown = Object.hasOwn(o, 'constructor') ? (o as { constructor: unknown }).constructor : undefined;
  return typeof c === 'object' && c !== null && Object.hasOwn(c, 'prototype');
}
