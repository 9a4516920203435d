import { z } from 'zod';
import { required } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';

/** Request limit (README "Request limits"): fields created by one request. */
export const MAX_FIELDS_PER_REQUEST = 100;

export const createFieldsBody = maxItems(
  z.array(z.object({ title: required(z.string().trim().min(1, 'must not be empty').max(255)) })).min(1, 'send at least one field'),
  MAX_FIELDS_PER_REQUEST,
);

/** Gap C5: list items carry the id and the title, also as `name` (clients read either). */
export const fieldDefinition = z.object({ id: z.number().int(), title: z.string(), name: z.string() });

export const createdField = z.object({ id: z.number().int(), title: z.string(), duplicate: z.boolean() });
