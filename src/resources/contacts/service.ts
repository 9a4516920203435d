import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { deriveDisplayName, mergeCustom, statusEffect, type ContactStatus } from '../../domain/contacts.js';
import { fromZodError } from '../../http/error-handler.js';
import { ApiError, badData, notFound } from '../../http/errors.js';
import { existingFieldIds } from '../contact-fields/store.js';
import { getTagsByIds } from '../tags/store.js';
import { getMember, listMembers } from '../team/store.js';
import * as store from './store.js';
import type { ContactRow } from './store.js';
import { contactRequestWithPhone } from './schemas.js';
import { serializeContact } from './serialize.js';

/** A parsed ContactRequest (schemas.ts): what v1 create/update and batch items carry. */
export interface ContactInput {
  phone?: string;
  avatar?: string;
  custom?: Record<string, string | null>;
  display_name?: string;
  email?: string;
  first?: string;
  last?: string;
  assignee_id?: number;
  tags?: Array<{ tag_id: number }>;
  is_opted_out?: boolean;
  email_suppressions?: number[];
}

/** Checks every reference in the input against the team's data; throws 400 naming the field. */
function checkReferences(ctx: AppContext, teamId: number, input: ContactInput, self: ContactRow | undefined) {
  const { db } = ctx;
  if (input.phone) {
    const owner = store.getContactByPhone(db, teamId, input.phone);
    if (owner && owner.id !== self?.id) {
      throw badData('phone', `phone: contact ${owner.id} already has phone ${input.phone} (update it with PUT /v1/contact/${owner.id})`);
    }
  }
  if (input.tags) {
    const ids = input.tags.map((t) => t.tag_id);
    const seen = new Set<number>();
    ids.forEach((id, i) => {
      if (seen.has(id)) throw badData(`tags[${i}].tag_id`, `tags[${i}].tag_id: tag ${id} is listed twice`);
      seen.add(id);
    });
    const found = new Set(getTagsByIds(db, teamId, ids).map((t) => t.id));
    ids.forEach((id, i) => {
      if (!found.has(id)) throw badData(`tags[${i}].tag_id`, `tags[${i}].tag_id: no tag with id ${id} in this team (create it with POST /v1/tag)`);
    });
  }
  if (input.custom) {
    const keys = Object.keys(input.custom);
    const known = existingFieldIds(db, teamId, keys.map(Number));
    for (const key of keys) {
      if (!known.has(Number(key))) {
        throw badData(`custom.${key}`, `custom.${key}: no custom field with id ${key} in this team (keys are field ids from POST /v1/contact-fields, not titles)`);
      }
    }
  }
  if (input.assignee_id !== undefined && input.assignee_id !== -1 && !getMember(db, teamId, input.assignee_id)) {
    throw badData('assignee_id', `assignee_id: ${input.assignee_id} is not a member of this team (use -1 to unassign)`);
  }
}

/** The API acts as the team's first admin, who becomes creator_id of contacts made through it. */
function apiCreatorId(ctx: AppContext, teamId: number): number | null {
  const all = listMembers(ctx.db, teamId);
  return (all.find((m) => m.roleId === 1) ?? all[0])?.id ?? null;
}

function assigneeColumn(assigneeId: number | undefined): number | null | undefined {
  if (assigneeId === undefined) return undefined;
  return assigneeId === -1 ? null : assigneeId;
}

/** Creates a contact, its channels and tags in one transaction. */
export function createContact(ctx: AppContext, teamId: number, input: ContactInput, uuid?: string): ContactRow {
  return inTransaction(ctx.db, () => {
    checkReferences(ctx, teamId, input, undefined);
    const now = ctx.clock.stamp();
    const first = input.first ?? '';
    const last = input.last ?? '';
    const row = store.insertContact(ctx.db, teamId, {
      uuid: uuid ?? ctx.ids.uuid(),
      phone: input.phone ?? null,
      email: input.email ?? '',
      first,
      last,
      displayName: input.display_name ?? deriveDisplayName(first, last),
      avatar: input.avatar ?? '',
      custom: mergeCustom({}, input.custom ?? {}, true),
      creatorId: apiCreatorId(ctx, teamId),
      assignedUserId: assigneeColumn(input.assignee_id) ?? null,
      unsubscribed: input.is_opted_out ?? false,
      emailSuppressions: input.email_suppressions ?? [],
      op: 'create',
      rev: 1,
      created: now,
      updated: now,
    });
    if (input.tags) store.setContactTags(ctx.db, row.id, input.tags.map((t) => t.tag_id));
    return row;
  });
}

/**
 * Updates a contact from a ContactRequest: omitted fields keep their values, names are always
 * overwritten when sent, `custom` merges unless `overwrite` (doc: contacts/update), `tags`
 * replaces the tag set. display_name follows first/last when it was derived from them.
 */
export function updateContact(ctx: AppContext, teamId: number, before: ContactRow, input: ContactInput, overwrite: boolean): ContactRow {
  return inTransaction(ctx.db, () => {
    checkReferences(ctx, teamId, input, before);
    const first = input.first ?? before.first;
    const last = input.last ?? before.last;
    const derived = before.displayName === deriveDisplayName(before.first, before.last);
    const patch: store.ContactPatch = {
      first,
      last,
      displayName: input.display_name ?? (derived ? deriveDisplayName(first, last) : before.displayName),
      op: 'update',
      updated: ctx.clock.stamp(),
    };
    if (input.phone !== undefined) patch.phone = input.phone;
    if (input.email !== undefined) patch.email = input.email;
    if (input.avatar !== undefined) patch.avatar = input.avatar;
    if (input.custom !== undefined) patch.custom = mergeCustom(before.custom, input.custom, overwrite);
    const assignee = assigneeColumn(input.assignee_id);
    if (assignee !== undefined) patch.assignedUserId = assignee;
    if (input.is_opted_out !== undefined) patch.unsubscribed = input.is_opted_out;
    if (input.email_suppressions !== undefined) patch.emailSuppressions = input.email_suppressions;
    const row = store.updateContact(ctx.db, before, patch);
    if (input.tags) store.setContactTags(ctx.db, row.id, input.tags.map((t) => t.tag_id));
    return row;
  });
}

/** Rows → Contact JSON, loading every row's tags in one query. */
export function presentContacts(ctx: AppContext, teamId: number, rows: ContactRow[]) {
  const tags = store.tagsOfContacts(ctx.db, teamId, rows.map((r) => r.id));
  return rows.map((r) => serializeContact(r, tags.get(r.id) ?? []));
}

/** `{phone}` or `{id}`; when both are given, phone wins (doc-old, contacts/get). 404 when absent. */
export function findContact(ctx: AppContext, teamId: number, by: { phone?: string; id?: number }): ContactRow {
  if (by.phone !== undefined) {
    const row = store.getContactByPhone(ctx.db, teamId, by.phone);
    if (!row) throw notFound(`no contact with phone ${by.phone}`, 'phone');
    return row;
  }
  if (by.id !== undefined) {
    const row = store.getContact(ctx.db, teamId, by.id);
    if (!row) throw notFound(`no contact with id ${by.id}`, 'id');
    return row;
  }
  throw badData('id', 'give the contact as id or phone (at least one is required)');
}

export function setStatus(ctx: AppContext, contact: ContactRow, status: ContactStatus): ContactRow {
  return inTransaction(ctx.db, () =>
    store.updateContact(ctx.db, contact, { ...statusEffect(status), op: 'update', updated: ctx.clock.stamp() }),
  );
}

export interface BatchFailure {
  item: unknown;
  error: ApiError;
}

/**
 * POST /v1/batch/contacts: each item is validated and written on its own (a savepoint), so a bad
 * item fails alone. An existing phone is left unchanged unless `overwrite` (doc: contacts/bulk),
 * in which case the item overwrites it (custom replaced).
 */
export function batchCreate(ctx: AppContext, teamId: number, items: unknown[], overwrite: boolean): BatchFailure[] {
  const failed: BatchFailure[] = [];
  inTransaction(ctx.db, () => {
    items.forEach((item, i) => {
      const parsed = contactRequestWithPhone.safeParse(item);
      if (!parsed.success) {
        failed.push({ item, error: fromZodError(parsed.error, [i]) });
        return;
      }
      const input = parsed.data as ContactInput & { phone: string };
      try {
        const existing = store.getContactByPhone(ctx.db, teamId, input.phone);
        if (!existing) createContact(ctx, teamId, input);
        else if (overwrite) updateContact(ctx, teamId, existing, input, true);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        failed.push({ item, error: new ApiError(e.statusCode, e.code, `[${i}].${e.message}`, e.field && `[${i}].${e.field}`) });
      }
    });
  });
  return failed;
}
