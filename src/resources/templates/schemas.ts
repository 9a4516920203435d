import { z } from 'zod';
import { nullAsAbsent, pageLimit, required, rfc3339 } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';

// The template wire contract (templates.md). The request calls the name `title`, the object `name`.

/** Limits (README "Request limits"): a template's text is sent as message text, so it has its limit. */
export const MAX_TEXT = 10_000;
export const MAX_GALLERY = 10;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/** GalleryEntry (doc-new, from the scheduled-message schema): an image attached to the text. */
export const galleryEntryInput = z.object({
  url: required(httpUrl, 'is required (the image URL)'),
  original_url: z.string().optional(),
  annotation_text: z.string().optional(),
  annotation_position: z.string().optional(),
});

export const templateContentInput = z.object({
  text: required(z.string().max(MAX_TEXT), 'is required (the template body; may contain merge tokens)'),
  gallery: maxItems(z.array(galleryEntryInput), MAX_GALLERY).optional(),
});

/**
 * POST /v1/template and PUT /v1/template/{id}: `title` and `content.text` are required on both
 * (doc for create, rule 27; 3p for update).
 */
export const templateBody = nullAsAbsent(
  z.object({
    title: required(z.string().trim().min(1, 'must not be empty').max(255), 'is required (the template name)'),
    content: required(templateContentInput, 'is required: {"text": "...", "gallery": [...]}'),
    local_id: z.string().max(255).optional(),
    archived: z.boolean().optional(),
  }),
);

export const listTemplatesBody = z.object({
  date: rfc3339.optional().describe('Cursor: templates updated before this RFC 3339 time'),
  limit: pageLimit.optional(),
});

export const galleryEntry = z.object({
  url: z.string(),
  original_url: z.string(),
  annotation_text: z.string(),
  annotation_position: z.string(),
});

export const template = z.object({
  id: z.number().int(),
  name: z.string(),
  local_id: z.string(),
  content: z.object({ text: z.string(), gallery: z.array(galleryEntry) }),
  team_id: z.number().int(),
  creator_id: z.number().int(),
  shared: z.boolean(),
  archived: z.boolean(),
  created: z.string(),
  updated: z.string(),
  rev: z.number().int(),
  op: z.string(),
});

export const createTemplateResponse = z.object({ id: z.number().int(), rev: z.number().int(), uuid: z.string() });
export const updateTemplateResponse = z.object({ id: z.number().int(), rev: z.number().int() });
