import type { FastifyBaseLogger, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';

/**
 * Serialisation can never fail an answer (decision "no failure after commit", docs/decisions.md).
 * A handler's writes are committed by the time its answer is serialised, so a 500 at that point
 * would tell the client "failed" about a write that happened (a retry would duplicate it). The
 * zod serializer (validate against the route's response schema, then JSON.stringify) runs first;
 * if it throws for any reason (the answer does not match its schema, a value JSON cannot hold, a
 * stack overflow), the failure is logged as a bug in the mock and the answer is sent as built,
 * written by `safeJson`, which cannot throw.
 */
export interface SerializeFailure {
  method: string;
  url: string;
  error: unknown;
}

export function safeSerializerCompiler(log: FastifyBaseLogger, onFailure?: (failure: SerializeFailure) => void): FastifySerializerCompiler<ZodType> {
  return (route) => {
    const validated = zodSerializerCompiler(route);
    return (data: unknown) => {
      try {
        return validated(data);
      } catch (err) {
        log.error({ err, method: route.method, url: route.url }, 'response failed to serialise (a bug in heymarket-mock); sent as built, since its writes are committed');
        onFailure?.({ method: String(route.method), url: route.url, error: err });
        return safeJson(data);
      }
    };
  };
}

/** Nesting beyond which safeJson writes null (an answer built by the mock is never this deep). */
const MAX_SAFE_DEPTH = 200;

/**
 * JSON text for any value, never throwing: like JSON.stringify, except that a BigInt is written as
 * its digits, a cycle, a value nested deeper than MAX_SAFE_DEPTH, a throwing getter or toJSON, and
 * anything JSON cannot hold become null (or are left out of an object, like undefined).
 */
export function safeJson(value: unknown): string {
  try {
    return write(value, 0, new Set()) ?? 'null';
  } catch {
    return 'null';
  }
}

function write(value: unknown, depth: number, seen: Set<object>): string | undefined {
  let v = value;
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    try {
      v = (v as { toJSON: () => unknown }).toJSON();
    } catch {
      return 'null';
    }
  }
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (depth >= MAX_SAFE_DEPTH || seen.has(obj)) return 'null';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) parts.push(write(read(obj, i), depth + 1, seen) ?? 'null');
      return `[${parts.join(',')}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(obj)) {
      const text = write(read(obj, key), depth + 1, seen);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** A property read that a throwing getter cannot break (the value becomes null). */
function read(obj: object, key: string | number): unknown {
  try {
    return (obj as Record<string | number, unknown>)[key];
  } catch {
    return null;
  }
}
