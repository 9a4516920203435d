import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import { fromZodError } from '../core/errors.js';
import { wireParse } from '../wire/primitives.js';

const where: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/**
 * Validates with zod and fails with our ApiError directly. Unlike fastify-type-provider-zod's
 * compiler, which flattens the issue path into a string, this keeps it typed, so the error names
 * `custom.12` (a key) and `tags[1]` (an index) correctly.
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, wireParse);
    if (result.success) return { value: result.data };
    return { error: fromZodError(result.error, [], where[httpPart ?? 'body']) };
  };
