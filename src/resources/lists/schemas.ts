import { z } from 'zod';
import { e164, emailAddress, nullAsAbsent, pageLimit, required, rfc3339 } from '../../wire/primitives.js';
import { maxItems, TOO_MANY_ITEMS } from '../../wire/limits.js';

// The list wire contract (lists.md). The request calls the name `title`, the object `name`.
//
// Every array has a maximum (issue #11.3, docs/decisions.md "Lists"), so no list request holds the
// server long: contact ids are cheap to look up, phone numbers and emails cost a numbering-plan
// check each and may create a contact each, so they are capped lower, and an update's phone (and
// email) arrays share one budget. The counts are checked before any element is parsed (zod alone
// would parse every element first: src/wire/limits.ts).

/** Contact ids per array. */
export const MAX_CONTACT_IDS = 1_000;
/** Phone numbers per request (all phone arrays of one request together). */
export const MAX_PHONES = 250;
/** Email addresses per request (all email arrays of one request together). */
export const MAX_EMAILS = 250;

const contactIds = maxItems(z.array(z.number().int().positive('must be a contact id')), MAX_CONTACT_IDS);
const phones = maxItems(z.array(e164), MAX_PHONES);
const emails = maxItems(z.array(emailAddress), MAX_EMAILS);

/**
 * The shared budget of several arrays (an update's add_phones, phones and remove_phones), checked
 * before any element is parsed: the array that takes the total past `max` is named.
 */
function sharedBudget<T extends z.ZodTypeAny>(groups: Array<{ keys: string[]; max: number; what: string }>, schema: T) {
  return z.preprocess((v, ctx) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const body = v as Record<string, unknown>;
    for (const g of groups) {
      let total = 0;
      for (const key of g.keys) {
        const a = body[key];
        if (!Array.isArray(a)) continue;
        total += a.length;
        if (total > g.max) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${g.keys.join(', ')} together may hold at most ${g.max} ${g.what} per request; send the rest in another update`,
            params: { error_code: TOO_MANY_ITEMS },
          });
          break;
        }
      }
    }
    return v;
  }, schema);
}

const title = z.string().trim().min(1, 'must not be empty').max(255);
const listType = z.enum(['contacts'], {
  message: 'must be "contacts" (omnichannel, contact-based list) or omitted (standard phone-number list)',
});

const sources = {
  type: listType.optional(),
  contacts: contactIds.optional().describe('Existing contact ids of the team'),
  phones: phones.optional().describe("E.164 digits without '+'; linked to the contact that has the number, else a new contact is created for it"),
  emails: emails.optional().describe('Only with type "contacts"; linked to the contact that has the address, else a new contact is created for it'),
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

/**
 * PUT /v2/lists/{id} and PUT /v1/list/{id}. Applied as replace (contacts) → add → remove (gap L2).
 * add_phones, phones and remove_phones share MAX_PHONES; add_emails, emails and remove_emails MAX_EMAILS.
 */
export const updateListBody = sharedBudget(
  [
    { keys: ['add_phones', 'phones', 'remove_phones'], max: MAX_PHONES, what: 'phone numbers' },
    { keys: ['add_emails', 'emails', 'remove_emails'], max: MAX_EMAILS, what: 'email addresses' },
  ],
  nullAsAbsent(
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
  ),
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
