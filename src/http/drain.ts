import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../core/errors.js';

/**
 * Graceful stop (decision S5). `drain()` stops accepting connections, answers every request that
 * arrives from then on with the mock's 503 (`shutting_down`, `Connection: close`), closes each
 * connection after its answer, and resolves once the requests already received are answered, or
 * after `ms`. `app.close()` afterwards closes what is left and the database.
 */
/**
 * How long no request may be in flight before the drain ends: a request already sent on an open
 * connection (its bytes not parsed yet) starts within it and is answered instead of reset.
 */
const QUIET_MS = 500;

export class Drain {
  private inFlight = 0;
  /** Requests started so far: a quiet period ends the drain only if none started during it. */
  private started = 0;
  private draining = false;
  private idle: (() => void) | undefined;

  constructor(server: Server) {
    server.on('request', (_req, res) => {
      this.inFlight++;
      this.started++;
      // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
      res.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
    });
  }

  get active(): boolean {
    return this.draining;
  }

  /** Registers the 503 for new requests and `Connection: close` on every answer while draining. */
  register(app: FastifyInstance) {
    app.addHook('onRequest', async (request) => {
      if (this.draining) {
        // Read (and drop) the body first: closing a connection with unread bytes sends a TCP
        // reset, which can reach the client before the answer does. requestTimeout bounds it.
        const raw = request.raw;
        if (!raw.complete) {
          await new Promise<void>((done) => {
            raw.once('end', done).once('close', done).once('error', done);
            raw.resume();
          });
        }
        throw new ApiError(503, 'server_error', 'the server is shutting down: it finishes the requests it already received and takes no new ones; retry against a new instance', undefined, {
          Connection: 'close',
          'Retry-After': '1',
        }).coded('shutting_down');
      }
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (this.draining) reply.header('Connection', 'close');
      return payload;
    });
  }

  /** Stops accepting and waits (at most `ms`) for every request in flight. True when all finished. */
  async drain(server: Server, ms: number): Promise<boolean> {
    this.draining = true;
    // net.Server's close, not http.Server's: that one also drops idle connections at once, and a
    // connection whose request is on its way (not parsed yet) counts as idle, so its client
    // would get a reset instead of an answer.
    if (server.listening) NetServer.prototype.close.call(server);
    const deadline = performance.now() + ms;
    for (;;) {
      const left = deadline - performance.now();
      if (this.inFlight > 0) {
        if (left <= 0 || !(await this.allAnswered(left))) return false;
        continue;
      }
      const before = this.started;
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(QUIET_MS, left))));
      if (this.inFlight === 0 && this.started === before) return true;
      if (performance.now() >= deadline) return this.inFlight === 0;
    }
  }

  /** Resolves true once no request is in flight, false after `ms`. */
  private async allAnswered(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => (this.idle = () => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    this.idle = undefined;
    return finished;
  }
}
