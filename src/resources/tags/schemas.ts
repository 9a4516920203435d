import { z } from 'zod';
import { pageLimit, rfc3339 } from '../../wire/primitives.js';

/** Gap A1: colours are #RGB or #RRGGBB hex. */
export const tagColor = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like #FFD700 or #FD0');

export const createTagBody = z.object({
  tag: z.string().trim().min(1, 'is required (the label text)').max(255),
  color: tagColor.optional(),
});

export const listTagsBody = z.object({
  date: rfc3339.optional().describe('Cursor: tags updated before this RFC 3339 time'),
  limit: pageLimit.optional(),
});

export const tag = z.object({
  id: z.number().int(),
  tag: z.string(),
  color: z.string(),
  team_id: z.number().int(),
  created: z.string(),
  updated: z.string(),
  rev: z.number().int(),
});

export const createTagResponse = z.object({ id: z.number().int(), rev: z.number().int(), uuid: z.string() });
