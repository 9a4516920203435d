import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { channelValueProblem } from '../../domain/channels.js';
import { inferChannelType } from '../../domain/contacts.js';
import { fromZodError } from '../../core/errors.js';
import { badData, notFound } from '../../core/errors.js';
import { inSlices } from '../../db/slices.js';
import { assertPhoneFree, batchFailures, checkReferences, labelled, type BatchFailure, createContact, current, updateContact, type ContactInput } from './service.js';
import * as store from './store.js';
import type { ChannelInsert, ChannelRow, ContactRow } from './store.js';
import { wireParse } from '../../wire/primitives.js';
import { bulkItem, type channelInput, type searchBody } from './v2.schemas.js';

// Operations of the v2 surface that span contacts and channels.

type ChannelBody = z.output<typeof channelInput>;

export const toChannelInsert = (c: ChannelBody): ChannelInsert => ({
  channelType: c.channel_type,
  channelId: c.channel_id,
  channelHandle: c.channel_handle,
  infoChannel: c.info_channel,
});

export function loadByUuid(ctx: AppContext, teamId: number, uuid: string, field = 'contactID'): ContactRow {
  const row = store.getContactByUuid(ctx.db, teamId, uuid);
  if (!row) throw notFound(`${field}: no contact with uuid ${uuid}`, field);
  return row;
}

/** After a channel write: the phone/email fields follow the first channels, rev and updated move. */
function channelsChanged(ctx: AppContext, before: ContactRow, now: number): ContactRow {
  return store.updateContact(ctx.db, before, { ...store.primaryValues(ctx.db, before), op: 'update', updated: now });
}

/** POST /v2/contact/{id}/channel: a channel of the same type and value on this contact is a 400. */
export function addChannel(ctx: AppContext, teamId: number, contact: ContactRow, ch: ChannelBody): ChannelRow[] {
  return inTransaction(ctx.db, () => {
    const same = store
      .listChannels(ctx.db, teamId, contact.id)
      .find((c) => c.channelType === ch.channel_type && c.channelId.toLowerCase() === ch.channel_id.toLowerCase());
    if (same) throw badData('channel_id', `channel_id: the contact already has ${ch.channel_type} channel ${ch.channel_id} (id ${same.id})`);
    if (ch.channel_type === 'phone') assertPhoneFree(ctx, teamId, ch.channel_id, contact.id, 'channel_id');
    const now = ctx.clock.now(teamId);
    store.insertChannel(ctx.db, teamId, contact.id, toChannelInsert(ch), now);
    channelsChanged(ctx, contact, now);
    return store.listChannels(ctx.db, teamId, contact.id);
  });
}

/** PUT /v2/contact/{id}/channel: changes the value of the contact's first channel of that type. */
export function changeChannel(ctx: AppContext, teamId: number, contact: ContactRow, ch: ChannelBody): ChannelRow[] {
  return inTransaction(ctx.db, () => {
    const target = store.firstChannel(ctx.db, teamId, contact.id, ch.channel_type);
    if (!target) throw notFound(`the contact has no ${ch.channel_type} channel (add one with POST)`, 'channel_type');
    const twin = store
      .listChannels(ctx.db, teamId, contact.id)
      .find((c) => c.id !== target.id && c.channelType === ch.channel_type && c.channelId.toLowerCase() === ch.channel_id.toLowerCase());
    if (twin) throw badData('channel_id', `channel_id: the contact already has ${ch.channel_type} channel ${ch.channel_id} (id ${twin.id})`);
    if (ch.channel_type === 'phone') assertPhoneFree(ctx, teamId, ch.channel_id, contact.id, 'channel_id');
    const now = ctx.clock.now(teamId);
    const patch: Partial<ChannelInsert> = { channelId: ch.channel_id };
    if (ch.channel_handle !== undefined) patch.channelHandle = ch.channel_handle;
    if (ch.info_channel !== undefined) patch.infoChannel = ch.info_channel;
    store.updateChannel(ctx.db, teamId, target.id, patch, now);
    channelsChanged(ctx, contact, now);
    return store.listChannels(ctx.db, teamId, contact.id);
  });
}

/** DELETE /v2/contact/{id}/channel/{type}: removes the first channel of that type; the last may go (C12, C13). */
export function removeChannel(ctx: AppContext, teamId: number, contact: ContactRow, type: string) {
  inTransaction(ctx.db, () => {
    const target = store.firstChannel(ctx.db, teamId, contact.id, type);
    if (!target) throw notFound(`the contact has no ${type} channel`, 'channelType');
    store.deleteChannel(ctx.db, teamId, target.id);
    channelsChanged(ctx, contact, ctx.clock.now(teamId));
  });
}

/**
 * Channels sent with an update are matched by type: the first channel of that type takes the new
 * value, or a new channel is added when the contact has none of that type. So one per type.
 */
function upsertChannels(ctx: AppContext, teamId: number, contact: ContactRow, channels: ChannelBody[]) {
  const now = ctx.clock.now(teamId);
  const types = new Set<string>();
  // Every channel is checked before the first is written: a refused update writes nothing at all.
  channels.forEach((ch, i) => {
    const field = `contact_channels[${i}].channel_type`;
    if (types.has(ch.channel_type)) throw badData(field, `${field}: an update carries at most one channel per type (${ch.channel_type} is repeated); add more with POST /v2/contact/{contactID}/channel`);
    types.add(ch.channel_type);
    if (ch.channel_type === 'phone') assertPhoneFree(ctx, teamId, ch.channel_id, contact.id, `contact_channels[${i}].channel_id`);
  });
  channels.forEach((ch) => {
    const target = store.firstChannel(ctx.db, teamId, contact.id, ch.channel_type);
    if (target) store.updateChannel(ctx.db, teamId, target.id, toChannelInsert(ch), now);
    else store.insertChannel(ctx.db, teamId, contact.id, toChannelInsert(ch), now);
  });
}

/**
 * PUT /v2/contact/{id} and bulk update items: like v1 update, phone optional, custom merged
 * unless overwrite (gap C9), channels upserted by type. One write: rev goes up by one.
 */
export function updateContactV2(ctx: AppContext, teamId: number, loaded: ContactRow, input: ContactInput, overwrite: boolean, channels?: ChannelBody[]) {
  return inTransaction(ctx.db, () => {
    const before = current(ctx, loaded);
    // The contact's own references are checked before the channels are written (nothing written on a refusal).
    checkReferences(ctx, teamId, input, before);
    if (channels?.length) upsertChannels(ctx, teamId, before, channels);
    return updateContact(ctx, teamId, before, input, overwrite);
  });
}

export interface BulkResult {
  contacts: ContactRow[];
  failed: BatchFailure[];
}

/** POST /v2/contacts: every item is its own savepoint, written in slices (decision R6); failures are reported, never half-written. */
export async function bulkUpsert(ctx: AppContext, teamId: number, items: unknown[], overwrite: boolean): Promise<BulkResult> {
  const outcomes = await inSlices(ctx.db, items, (item, i) => {
    const parsed = bulkItem.safeParse(item, wireParse);
    if (!parsed.success) throw fromZodError(parsed.error, [i]);
    const { contact_id, contact_channels, ...input } = parsed.data;
    return labelled(i, () => {
      if (contact_id) return updateContactV2(ctx, teamId, loadByUuid(ctx, teamId, contact_id, 'contact_id'), input, overwrite, contact_channels);
      if (!contact_channels?.length) {
        throw badData('contact_channels', 'contact_channels: a new contact needs at least one {channel_type, channel_id} (or give contact_id to update)');
      }
      return createContact(ctx, teamId, input, contact_channels.map(toChannelInsert));
    });
  }, { teamId });
  return { contacts: outcomes.flatMap((o) => (o.ok ? [o.value] : [])), failed: batchFailures(items, outcomes) };
}

/** DELETE /v2/contacts: all or nothing; unknown UUIDs are a 404 naming them. */
export function bulkDelete(ctx: AppContext, teamId: number, uuids: string[]) {
  inTransaction(ctx.db, () => {
    const unique = [...new Set(uuids)];
    const rows = store.getContactsByUuids(ctx.db, teamId, unique);
    if (rows.length !== unique.length) {
      const found = new Set(rows.map((r) => r.uuid));
      const missing = unique.filter((u) => !found.has(u));
      throw notFound(`no contact with uuid ${missing.join(', ')} (nothing was deleted)`, 'contact_channels[0].channel_ids');
    }
    store.deleteContacts(ctx.db, teamId, rows.map((r) => r.id));
  });
}

/**
 * POST /v2/contacts/search: each value is matched against channels of its type; a missing
 * channel_type is inferred per value ('@' → email, digits → phone; doc). Results by id.
 */
export function search(ctx: AppContext, teamId: number, body: z.output<typeof searchBody>): ContactRow[] {
  const ids = new Set<number>();
  body.contact_channels.forEach((entry, i) => {
    const values: Array<[string, string]> = [
      ...(entry.channel_ids ?? []).map((v, j): [string, string] => [v, `contact_channels[${i}].channel_ids[${j}]`]),
      ...(entry.channel_id ? [[entry.channel_id, `contact_channels[${i}].channel_id`] as [string, string]] : []),
    ];
    if (!values.length) throw badData(`contact_channels[${i}].channel_ids`, `contact_channels[${i}].channel_ids: list at least one value to search for`);
    const byType = new Map<string, string[]>();
    values.forEach(([value, field]) => {
      const type = entry.channel_type ?? inferChannelType(value);
      if (!type) throw badData(field, `${field}: cannot tell the channel type of "${value}"; give channel_type`);
      if (type === 'phone' || type === 'email') {
        const problem = channelValueProblem(type, value);
        if (problem) throw badData(field, `${field}: ${problem}`);
      }
      byType.set(type, [...(byType.get(type) ?? []), value]);
    });
    for (const [type, list] of byType) store.contactIdsByChannel(ctx.db, teamId, type, list).forEach((id) => ids.add(id));
  });
  return store.getContactsByIds(ctx.db, teamId, [...ids]).sort((a, b) => a.id - b.id);
}
