import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One request a webhook receiver got. */
export interface Received {
  headers: IncomingMessage['headers'];
  body: any;
}

/** What the receiver does with request n (1-based): answer a status, or hold it unanswered. */
export type Answer = (n: number, req: Received) => number | 'hold';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests held unanswered now. */
  held: ServerResponse[];
  /** Open sockets now. */
  sockets(): number;
  /** Resolves once `n` requests have arrived (event-driven, no timers). */
  waitFor(n: number): Promise<void>;
  /** Resolves once `n` requests are held. */
  waitHeld(n: number): Promise<void>;
  /** Drops every held request (the sender sees a reset connection). */
  dropHeld(): void;
  close(): Promise<void>;
}

const open: Receiver[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** A real HTTP receiver on 127.0.0.1, port 0 (closed after each test). Default: answers 200. */
export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      received.push(r);
      const a = answer(received.length, r);
      if (a === 'hold') held.push(res);
      else res.writeHead(a, { 'content-type': 'text/plain' }).end('ok');
      notify();
    });
  });
  let sockets = 0;
  server.on('connection', (s) => {
    sockets++;
    s.on('close', () => sockets--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (cond() ? resolve() : waiters.push(check));
      check();
    });
  const r: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    held,
    sockets: () => sockets,
    waitFor: (n) => until(() => received.length >= n),
    waitHeld: (n) => until(() => held.length >= n),
    dropHeld: () => held.splice(0).forEach((res) => res.socket?.destroy()),
    close: async () => {
      r.dropHeld();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(r);
  return r;
}
