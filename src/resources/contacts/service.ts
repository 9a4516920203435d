import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { inSlices, type Outcome } from '../../db/slices.js';
import { deriveDisplayName, mergeCustom, statusEffect, type ContactStatus } from '../../domain/contacts.js';
import { fromZodError } from '../../core/errors.js';
import { ApiError, badData, notFound } from '../../core/errors.js';
import { existingFieldIds } from '../contact-fields/store.js';
import { getTagsByIds } from '../tags/store.js';
import { apiCreatorId, getMember } from '../team/store.js';
import { wireParse } from '../../wire/primitives.js';
import { recordOptChange } from './opt-events.js';
import { contactRequestWithPhone } from './schemas.js';
import { serializeChannel, serializeContact } from './serialize.js';
import * as store from './store.js';
import type { ChannelInsert, ContactRow } from './store.js';

/** A parsed ContactRequest (schemas.ts): what v1 create/update, batch and v2 items carry. */
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

/** The contact that owns phone `phone` through any of its phone channels. */
export function contactByPhone(ctx: AppContext, teamId: number, phone: string): ContactRow | undefined {
  const id = store.contactIdsByChannel(ctx.db, teamId, 'phone', [phone])[0];
  return id === undefined ? undefined : store.getContact(ctx.db, teamId, id);
}

/** A phone number belongs to one contact per team (v1 and v2 alike): 400 when another has it. */
export function assertPhoneFree(ctx: AppContext, teamId: number, phone: string, selfId: number | undefined, field: string) {
  const owner = contactByPhone(ctx, teamId, phone);
  if (owner && owner.id !== selfId) {
    throw badData(field, `${field}: contact ${owner.id} (uuid ${owner.uuid}) already has phone ${phone}`);
  }
}

/** Checks every reference in the input against the team's data; throws 400 naming the field. */
export function checkReferences(ctx: AppContext, teamId: number, input: ContactInput, self: ContactRow | undefined) {
  const { db } = ctx;
  if (input.phone) assertPhoneFree(ctx, teamId, input.phone, self?.id, 'phone');
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

function assigneeColumn(assigneeId: number | undefined): number | null | undefined {
  if (assigneeId === undefined) return undefined;
  return assigneeId === -1 ? null : assigneeId;
}

/**
 * Creates a contact with its channels and tags in one transaction. Without `channels` (v1), the
 * phone and email fields become the contact's channels; with them (v2), the channels are stored
 * in order and the first phone/email channel fills the phone/email fields.
 */
export function createContact(ctx: AppContext, teamId: number, input: ContactInput, channels?: ChannelInsert[]): ContactRow {
  return inTransaction(ctx.db, () => {
    // Phones are checked with the channels below, once each.
    checkReferences(ctx, teamId, { ...input, phone: undefined }, undefined);
    // Each channel with the request field that brought it, to name it in errors.
    const list: Array<ChannelInsert & { field: string }> = (channels ?? []).map((c, i) => ({ ...c, field: `contact_channels[${i}].channel_id` }));
    if (input.phone && !list.some((c) => c.channelType === 'phone' && c.channelId === input.phone)) {
      list.push({ channelType: 'phone', channelId: input.phone, field: 'phone' });
    }
    if (input.email && !list.some((c) => c.channelType === 'email' && c.channelId.toLowerCase() === input.email!.toLowerCase())) {
      list.push({ channelType: 'email', channelId: input.email, field: 'email' });
    }
    const seen = new Set<string>();
    for (const c of list) {
      const key = `${c.channelType}\n${c.channelId.toLowerCase()}`;
      if (seen.has(key)) throw badData(c.field, `${c.field}: ${c.channelType} channel ${c.channelId} is listed twice`);
      seen.add(key);
      if (c.channelType === 'phone') assertPhoneFree(ctx, teamId, c.channelId, undefined, c.field);
    }
    const now = ctx.clock.now(teamId);
    const first = input.first ?? '';
    const last = input.last ?? '';
    const row = store.insertContact(
      ctx.db,
      teamId,
      store.newContactRow(
        {
          uuid: ctx.ids.uuid(),
          phone: list.find((c) => c.channelType === 'phone')?.channelId ?? null,
          email: list.find((c) => c.channelType === 'email')?.channelId ?? '',
          first,
          last,
          displayName: input.display_name ?? deriveDisplayName(first, last),
          creatorId: apiCreatorId(ctx.db, teamId),
          now,
        },
        {
          avatar: input.avatar ?? '',
          custom: mergeCustom({}, input.custom ?? {}, true),
          assignedUserId: assigneeColumn(input.assignee_id) ?? null,
          unsubscribed: input.is_opted_out ?? false,
          emailSuppressions: input.email_suppressions ?? [],
        },
      ),
    );
    for (const { field: _, ...c } of list) store.insertChannel(ctx.db, teamId, row.id, c, now);
    if (input.tags) store.setContactTags(ctx.db, teamId, row.id, input.tags.map((t) => t.tag_id));
    return row;
  });
}

/**
 * Updates a contact from a ContactRequest: omitted fields keep their values, names are always
 * overwritten when sent, `custom` merges unless `overwrite` (doc: contacts/update), `tags`
 * replaces the tag set, and phone/email change the contact's first channel of that type.
 * display_name follows first/last when it was derived from them.
 */
export function updateContact(ctx: AppContext, teamId: number, loaded: ContactRow, input: ContactInput, overwrite: boolean): ContactRow {
  return inTransaction(ctx.db, () => {
    const before = current(ctx, loaded);
    checkReferences(ctx, teamId, input, before);
    const first = input.first ?? before.first;
    const last = input.last ?? before.last;
    const derived = before.displayName === deriveDisplayName(before.first, before.last);
    const now = ctx.clock.now(teamId);
    const patch: store.ContactPatch = {
      first,
      last,
      displayName: input.display_name ?? (derived ? deriveDisplayName(first, last) : before.displayName),
      op: 'update',
      updated: now,
    };
    if (input.avatar !== undefined) patch.avatar = input.avatar;
    if (input.custom !== undefined) patch.custom = mergeCustom(before.custom, input.custom, overwrite);
    const assignee = assigneeColumn(input.assignee_id);
    if (assignee !== undefined) patch.assignedUserId = assignee;
    if (input.is_opted_out !== undefined) patch.unsubscribed = input.is_opted_out;
    if (input.email_suppressions !== undefined) patch.emailSuppressions = input.email_suppressions;
    if (input.phone !== undefined) store.setPrimaryChannel(ctx.db, before, 'phone', input.phone, now);
    if (input.email !== undefined) store.setPrimaryChannel(ctx.db, before, 'email', input.email, now);
    const row = store.updateContact(ctx.db, before, { ...patch, ...store.primaryValues(ctx.db, before) });
    if (input.tags) store.setContactTags(ctx.db, teamId, row.id, input.tags.map((t) => t.tag_id));
    return row;
  });
}

/**
 * The contact as stored now, read inside the write's transaction: a row the route loaded before
 * it may be stale when another process wrote in between (decision S7). 404 when it is gone.
 */
export function current(ctx: AppContext, loaded: ContactRow): ContactRow {
  const row = store.getContact(ctx.db, loaded.teamId, loaded.id);
  if (!row) throw notFound(`no contact with id ${loaded.id}`, 'id');
  return row;
}

/** Rows → Contact JSON, loading every row's tags in one query (and channels, for v2). */
export function presentContacts(ctx: AppContext, teamId: number, rows: ContactRow[]) {
  const tags = store.tagsOfContacts(ctx.db, teamId, rows.map((r) => r.id));
  return rows.map((r) => serializeContact(r, tags.get(r.id) ?? []));
}

/** v2 responses add `contact_channels` to the Contact (gap C10). */
export function presentContactsV2(ctx: AppContext, teamId: number, rows: ContactRow[]) {
  const channels = store.channelsOfContacts(ctx.db, teamId, rows.map((r) => r.id));
  return presentContacts(ctx, teamId, rows).map((c, i) => ({
    ...c,
    contact_channels: (channels.get(rows[i]!.id) ?? []).map((ch) => serializeChannel(ch, rows[i]!.uuid)),
  }));
}

/** `{phone}` or `{id}`; when both are given, phone wins (doc-old, contacts/get). 404 when absent. */
export function findContact(ctx: AppContext, teamId: number, by: { phone?: string; id?: number }): ContactRow {
  if (by.phone !== undefined) {
    const row = contactByPhone(ctx, teamId, by.phone);
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

export function setStatus(ctx: AppContext, loaded: ContactRow, status: ContactStatus, inboxId: number | null = null): ContactRow {
  return inTransaction(ctx.db, () => {
    const contact = current(ctx, loaded);
    const now = ctx.clock.now(contact.teamId);
    const after = store.updateContact(ctx.db, contact, { ...statusEffect(status), op: 'update', updated: now });
    recordOptChange(ctx.db, contact, after, inboxId, now);
    return after;
  });
}

export interface BatchFailure {
  item: unknown;
  error: ApiError;
  /** The unexpected error behind an internal failure (a bug, a storage error), for the log. */
  cause?: unknown;
}

/** Re-labels an item's error with its position in the batch: "[2].phone: ...". */
export function atIndex(e: ApiError, i: number): ApiError {
  return new ApiError(e.statusCode, e.code, `[${i}].${e.message}`, e.field && `[${i}].${e.field}`);
}

/** Runs one batch item's write, labelling a refusal with the item's index. */
export function labelled<R>(i: number, write: () => R): R {
  try {
    return write();
  } catch (e) {
    throw e instanceof ApiError ? atIndex(e, i) : e;
  }
}

/** Opens the message of a batch item that failed for want of a rule (a bug, a storage error): tests look for it. */
export const INTERNAL_ITEM_FAILURE = 'heymarket-mock failed on this item';

/**
 * The failures among a batch's outcomes, in item order: a refusal as labelled, anything else
 * as an internal failure of that item (it wrote nothing), with the cause kept for the log.
 */
export function batchFailures(items: readonly unknown[], outcomes: ReadonlyArray<Outcome<unknown>>): BatchFailure[] {
  return outcomes.flatMap((o, i): BatchFailure[] => {
    if (o.ok) return [];
    if (o.error instanceof ApiError) return [{ item: items[i], error: o.error }];
    const why = o.error instanceof Error ? o.error.message : String(o.error);
    return [{ item: items[i], error: new ApiError(500, 'server_error', `[${i}]: ${INTERNAL_ITEM_FAILURE}, which was not written (${why})`), cause: o.error }];
  });
}

/** A batch item that failed for want of a rule (a bug, a storage error) is logged like a 500 would be. */
export function logInternalFailures(log: { error: (obj: object, msg: string) => void }, failed: readonly BatchFailure[]) {
  // Once per error: a slice that could not commit gives its one error to every item left.
  const seen = new Set<unknown>();
  for (const f of failed) {
    if (f.cause === undefined || seen.has(f.cause)) continue;
    seen.add(f.cause);
    const items = failed.filter((g) => g.cause === f.cause).length;
    log.error({ err: f.cause, items }, f.error.message);
  }
}

/**
 * POST /v1/batch/contacts: each item is validated and written on its own (a savepoint), so a bad
 * item fails alone, in slices that commit in turn (decision R6) so the server keeps answering.
 * An existing phone is left unchanged unless `overwrite` (doc: contacts/bulk), in which case the
 * item overwrites it (custom replaced).
 */
export async function batchCreate(ctx: AppContext, teamId: number, items: unknown[], overwrite: boolean): Promise<BatchFailure[]> {
  const outcomes = await inSlices(ctx.db, items, (item, i) => {
    const parsed = contactRequestWithPhone.safeParse(item, wireParse);
    if (!parsed.success) throw fromZodError(parsed.error, [i]);
    const input = parsed.data as ContactInput & { phone: string };
    labelled(i, () => {
      const existing = contactByPhone(ctx, teamId, input.phone);
      if (!existing) createContact(ctx, teamId, input);
      else if (overwrite) updateContact(ctx, teamId, existing, input, true);
    });
  }, { teamId });
  return batchFailures(items, outcomes);
}
