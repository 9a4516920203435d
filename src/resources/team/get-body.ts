import type { IncomingMessage } from 'node:http';
import { errorCodes, type FastifyRequest } from 'fastify';
import { badData } from '../../core/errors.js';

/**
 * Fastify never parses the body of a GET (GET is "bodyless": no content-type parser runs and a
 * body schema is refused), but GET /v1/users/get is documented with a JSON body. This reads the raw
 * body itself, bounded by the route's bodyLimit (413 like any other body), and parses it as JSON
 * whatever the Content-Type, like src/http/json-body.ts does for other methods. An empty body is
 * `undefined`. Use it as a preValidation hook; the result lands in `request.body`.
 */
export async function readGetBody(request: FastifyRequest): Promise<void> {
  const limit = request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 1024 * 1024;
  const text = await readRaw(request.raw, limit);
  if (text.trim() === '') {
    request.body = undefined;
    return;
  }
  try {
    request.body = JSON.parse(text);
  } catch (e) {
    throw badData(undefined, `body is not valid JSON: ${(e as Error).message}`);
  }
}

function readRaw(raw: IncomingMessage, limit: number): Promise<string> {
  const length = raw.headers['content-length'];
  if (length === undefined && raw.headers['transfer-encoding'] === undefined) return Promise.resolve('');
  if (length !== undefined && Number(length) > limit) {
    raw.resume(); // let Node discard the rest
    return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  }
  if (raw.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        cleanup();
        raw.resume();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      chunks.push(buf);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
  });
}
