import { connect, type Socket } from 'node:net';

// HTTP/1.1 over a bare socket, for what HTTP clients will not send (repeated headers, any Host,
// a chosen source address) and for slow or idle clients.

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

/** Opens a connection (optionally from `localAddress`, e.g. 127.0.0.2) and resolves once connected. */
export function open(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Parses one HTTP response out of `text`, or undefined while it is incomplete. */
export function parseResponse(text: string): RawResponse | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const rest = Buffer.from(text.slice(end + 4));
  if (rest.length < length) return undefined;
  const body = rest.subarray(0, length).toString();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body, json };
}

/** Reads one response from `socket` (rejects if the connection ends without one). */
export function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      const res = parseResponse(text);
      if (res) {
        cleanup();
        resolve(res);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`connection closed without a complete response: ${JSON.stringify(text)}`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
    socket.on('data', onData);
    socket.once('close', onEnd);
    socket.once('error', onError);
  });
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Header lines in order; repeat a name to send it twice. Host defaults to 127.0.0.1:port. */
  headers?: Array<[string, string]>;
  body?: string;
  localAddress?: string;
}

/** Sends one request on a new connection and resolves with the answer (the connection is then closed). */
export async function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  const socket = await open(port, req.localAddress);
  try {
    const headers = req.headers ?? [];
    const lines = [`${req.method ?? 'GET'} ${req.path} HTTP/1.1`];
    if (!headers.some(([n]) => n.toLowerCase() === 'host')) lines.push(`Host: 127.0.0.1:${port}`);
    for (const [n, v] of headers) lines.push(`${n}: ${v}`);
    if (req.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(req.body)}`);
    lines.push('Connection: close');
    const answer = readResponse(socket);
    socket.write(lines.join('\r\n') + '\r\n\r\n' + (req.body ?? ''));
    return await answer;
  } finally {
    socket.destroy();
  }
}

/** Resolves once the server closed `socket` (with whatever it sent before). */
export function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    if (socket.destroyed) resolve(text);
    else socket.once('close', () => resolve(text));
  });
}
