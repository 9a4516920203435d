import { z } from 'zod';
import { e164, emailAddress, nullAsAbsent, pageLimit, required, rfc3339 } from '../../wire/primitives.js';

// The list wire contract (lists.md). The request calls the name `title`, the object `name`.

const contactIds = z.array(z.number().int().positive('must be a contact id'));
const phones = z.array(e164);
const emails = z.array(emailAddress);

const title = z.string().trim().min(1, 'must not be empty').max(255);
const listType = z.enum(['contacts'], {
  message: 'must be "contacts" (omnichannel, contact-based list) or omitted (standard phone-number list)',
});

const sources = {
  type: listType.optional(),
  contacts: contactIds.optional().describe('Existing contact ids of the team'),
  phones: phones.optional().describe("E.164 digits without '+'; linked to the contact that has the number, else kept as a lightweight target"),
  emails: emails.optional().describe('Only with type "contacts"; linked to the contact that has the address, else kept as a lightweight target'),
};

/** POST /v2/lists: title and local_id required (doc), and at least one recipient source (doc-new, rule 26). */
export const createListV2Body = nullAsAbsent(
  z.object({
    title: required(title, 'is required (the list name)'),
    local_id: required(z.string().trim().min(1, 'must not be empty').max(255), 'is required: a unique client id (UUID or stable key)'),
    ...sources,
  }),
);

/** Deprecated POST /v1/list: the v2 body with local_id optional. */
export const createListV1Body = nullAsAbsent(
  z.object({
    title: required(title, 'is required (the list name)'),
    local_id: z.string().trim().min(1, 'must not be empty').max(255).optional(),
    ...sources,
  }),
);

/** PUT /v2/lists/{id} and PUT /v1/list/{id}. Applied as replace (contacts) → add → remove (gap L2). */
export const updateListBody = nullAsAbsent(
  z.object({
    title: title.optional(),
    contacts: contactIds.optional().describe('Replaces the whole membership (phone and email targets included)'),
    add_contacts: contactIds.optional(),
    remove_contacts: contactIds.optional(),
    add_phones: phones.optional(),
    remove_phones: phones.optional(),
    phones: phones.optional().describe('Same as add_phones'),
    add_emails: emails.optional(),
    remove_emails: emails.optional(),
    emails: emails.optional().describe('Same as add_emails'),
  }),
);

export const deleteListBody = nullAsAbsent(
  z.object({ contact_ids: contactIds.optional().describe('Contacts to remove from the list before it is deleted') }),
);

export const listListsBody = z.object({
  date: rfc3339.optional().describe('Cursor: lists updated before this RFC 3339 time'),
  limit: pageLimit.optional(),
});

export const createListResponse = z.object({ id: z.number().int(), rev: z.number().int(), uuid: z.string() });
export const updateListResponse = z.object({ id: z.number().int(), rev: z.number().int() });
export const deleteListResponse = z.object({ deleted: z.literal(true), id: z.number().int() });

/** The List object (doc, lists/overview), plus `contacts` and `emails` so contact-based lists show. */
export const list = z.object({
  id: z.number().int(),
  name: z.string(),
  local_id: z.string(),
  targets: z.record(z.string(), z.object({ f: z.string(), l: z.string() })).describe('Keyed by phone number (E.164 digits without +)'),
  team_id: z.number().int(),
  creator_id: z.number().int(),
  shared: z.boolean(),
  created: z.string(),
  updated: z.string(),
  rev: z.number().int(),
  archived: z.boolean(),
  contacts: z.array(z.number().int()).describe('Ids of the contacts on the list (mock extension)'),
  emails: z.array(z.string()).describe('Email targets with no contact (mock extension)'),
});
