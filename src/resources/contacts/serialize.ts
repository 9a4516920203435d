import { toIso } from '../../domain/time.js';
import { UNSET_INT } from '../../wire/unset.js';
import { serializeTag } from '../tags/serialize.js';
import type { TagRow } from '../tags/store.js';
import type { ChannelRow, ContactRow } from './store.js';

/** Row → Contact: the union of the hand-written and generated shapes, plus uuid (gaps C2, C3). */
export function serializeContact(c: ContactRow, tags: TagRow[]) {
  return {
    id: c.id,
    uuid: c.uuid,
    display_name: c.displayName,
    first: c.first,
    last: c.last,
    email: c.email,
    phone: c.phone ?? '',
    avatar: c.avatar,
    custom: c.custom,
    team_id: c.teamId,
    creator_id: c.creatorId ?? UNSET_INT,
    assigned_user_id: c.assignedUserId ?? UNSET_INT,
    shared: c.shared,
    created: toIso(c.created),
    updated: toIso(c.updated),
    rev: c.rev,
    op: c.op,
    tags: tags.map(serializeTag),
    is_opted_out: c.unsubscribed,
    external_id: c.externalId,
    external_ref: c.externalRef,
    inbox_id: UNSET_INT,
    parent_id: UNSET_INT,
    type: 'contact',
    note: [],
  };
}

export function serializeStatus(c: ContactRow) {
  return { id: c.id, phone: c.phone ?? '', unsubscribed: c.unsubscribed, blocked: c.blocked };
}

/** ContactChannel: integer id, contact_id as the contact UUID (gap C11). */
export function serializeChannel(ch: ChannelRow, contactUuid: string) {
  return {
    id: ch.id,
    team_id: ch.teamId,
    contact_id: contactUuid,
    channel_type: ch.channelType,
    channel_id: ch.channelId,
    channel_handle: ch.channelHandle,
    info_channel: ch.infoChannel,
    created: toIso(ch.created),
    updated: toIso(ch.updated),
  };
}
