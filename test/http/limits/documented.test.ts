import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every array and map a request may send has a documented maximum (issue #11.1): walk every
// request body and query parameter of the OpenAPI document (generated from the zod schemas the
// routes validate with) and list each array without maxItems and each map without maxProperties.
// The list routes' limits belong to their own suite (test/resources/lists).

type Schema = {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  maxItems?: number;
  maxProperties?: number;
};
type Op = { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: Array<{ in: string; name: string; schema?: Schema }> };

const doc = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Op>>;
  components?: { schemas?: Record<string, Schema> };
};

const isListRoute = (path: string) => /^\/v[12]\/lists?(\/|$)/.test(path);

function unbounded(schema: Schema | undefined, at: string, out: string[], seen = new Set<Schema>()) {
  if (!schema || seen.has(schema)) return;
  seen.add(schema);
  if (schema.$ref) return unbounded(doc.components?.schemas?.[schema.$ref.split('/').pop()!], at, out, seen);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array') || schema.items) {
    if (schema.maxItems === undefined) out.push(`${at} (array)`);
    unbounded(schema.items, `${at}[]`, out, seen);
  }
  for (const [k, v] of Object.entries(schema.properties ?? {})) unbounded(v, at ? `${at}.${k}` : k, out, seen);
  if (typeof schema.additionalProperties === 'object') {
    if (schema.maxProperties === undefined) out.push(`${at} (map)`);
    unbounded(schema.additionalProperties, `${at}.*`, out, seen);
  }
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) unbounded(s, at, out, seen);
}

describe('request limits are documented', () => {
  it('every array and map of every request body and query (lists aside) has a maximum in the OpenAPI document', () => {
    const missing: string[] = [];
    let arrays = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (isListRoute(path)) continue;
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const [type, c] of Object.entries(op.requestBody?.content ?? {})) unbounded(c.schema, `${where} body(${type}) `, missing);
        for (const p of op.parameters ?? []) if (p.in === 'query') unbounded(p.schema, `${where} ?${p.name}`, missing);
      }
    }
    JSON.stringify(doc.paths, (k, v) => (k === 'maxItems' ? (arrays++, v) : v));
    expect(missing).toEqual([]);
    expect(arrays).toBeGreaterThan(30);
  });
});
