import { z } from 'zod';

// GET /v1/inboxes answers a bare array of Inbox objects (doc-new generated schema; spec inboxes-team.md).

export const widgetSettings = z.object({
  background_color: z.string(),
  button_color: z.string(),
  fab_background_color: z.string(),
  fab_text_color: z.string(),
  message: z.string(),
  name: z.string(),
  phone: z.string(),
  position: z.number().int(),
  preview_enabled: z.boolean(),
  title_background_color: z.string(),
  title_text_color: z.string(),
  tos: z.string(),
});

export const inbox = z.object({
  id: z.number().int().describe('inbox_id for sends, conversation actions and schedules'),
  name: z.string(),
  team: z.number().int().describe('Team ID'),
  members: z.array(z.number().int()).describe('Member (user) ids usable as creator_id, ascending'),
  phones: z.array(z.string()).describe("Every number of the inbox, E.164 digits without '+'; [] for an email inbox"),
  phone: z.string().describe('Primary number; "" for an email inbox'),
  auto_assignable: z.boolean(),
  forward_number: z.string().nullable(),
  widget_code: z.string(),
  widget_settings: widgetSettings,
  allowed_domains: z.array(z.string()),
  invited: z.array(z.string()).describe('Generated-schema type (the hand-written page shows a boolean)'),
  bco_chats: z.boolean(),
  op: z.string(),
  rev: z.number().int(),
});

export const inboxList = z.array(inbox);
