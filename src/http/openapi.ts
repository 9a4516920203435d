import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { isOptionalBody } from '../wire/primitives.js';

// The OpenAPI document beside the routes' own zod schemas: every error a route can give, with the
// one error schema, and request bodies that may be left out marked as optional.

type Transform = typeof jsonSchemaTransform;
type OpenApiDoc = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };
type Operation = { requestBody?: { required?: boolean }; responses?: Record<string, unknown>; parameters?: unknown[] };

const errorSchema = {
  type: 'object',
  required: ['error', 'error_code', 'message', 'errors'],
  properties: {
    error: { type: 'string', description: 'bad_data, unauthorized, denied, not_found, payload_too_large, rate_limited, not_implemented, server_error' },
    error_code: { type: 'string', description: 'The rule, one stable snake_case code each (README "Error codes"), e.g. unsubscribed_number, invalid_api_key' },
    message: { type: 'string', description: 'What is wrong and how to fix it; starts with the field when one is to blame' },
    field: { type: 'string', description: 'The input field to blame, e.g. custom.12 or tags[1].tag_id' },
    errors: {
      type: 'array',
      description: 'Every problem found (at most 100); the first is the one in message/field',
      items: {
        type: 'object',
        required: ['message', 'error_code'],
        properties: { field: { type: 'string' }, message: { type: 'string' }, error_code: { type: 'string' } },
      },
    },
  },
};

const WHY: Record<string, string> = {
  '400': 'Invalid input: the message names the field and the rule',
  '401': 'Missing or wrong credentials: the message says which',
  '403': 'Authenticated but not allowed (e.g. the member is not in that inbox)',
  '404': 'Unknown id or path',
  '413': 'Body larger than HEYMARKET_MOCK_BODY_LIMIT',
  '429': 'Rate limit hit; Retry-After says when to retry',
  '500': 'A bug in the mock; quote the X-Request-Id',
};

/** The errors an operation can answer, by where it lives and what it takes. */
function errorStatuses(path: string, op: Operation): string[] {
  const takesInput = op.requestBody !== undefined || (op.parameters?.length ?? 0) > 0;
  const api = path.startsWith('/v1/') || path.startsWith('/v2/');
  const out = takesInput ? ['400'] : [];
  if (api) out.push('401', '403', '404');
  else if (takesInput || path.includes('{')) out.push('404');
  if (op.requestBody) out.push('413');
  if (api) out.push('429');
  out.push('500');
  return out;
}

export function openApiTransforms() {
  const optionalBodies = new Set<string>();
  const transform: Transform = (args) => {
    if (isOptionalBody(args.schema.body)) optionalBodies.add(`${args.route.method}:${args.url}`);
    return jsonSchemaTransform(args);
  };
  const transformObject: SwaggerTransformObject = (document) => {
    if (!('openapiObject' in document)) return document.swaggerObject;
    const doc = document.openapiObject as OpenApiDoc;
    doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Error: errorSchema } };
    for (const [path, ops] of Object.entries(doc.paths ?? {})) {
      const fastifyPath = path.replace(/\{([^}]+)\}/g, ':$1');
      for (const [method, op] of Object.entries(ops)) {
        // A GET body (GET /v1/users/get) is optional too: @fastify/swagger marks every requestBody required.
        if (op.requestBody && (method === 'get' || optionalBodies.has(`${method.toUpperCase()}:${fastifyPath}`))) op.requestBody.required = false;
        op.responses ??= {};
        for (const status of errorStatuses(path, op)) {
          op.responses[status] ??= { description: WHY[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
        }
      }
    }
    return document.openapiObject;
  };
  return { transform, transformObject };
}
