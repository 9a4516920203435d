import { toIso } from '../../domain/time.js';
import { UNSET_INT, UNSET_TIME } from '../../wire/unset.js';
import type { ConversationRow } from './store.js';

export interface ConversationExtras {
  /** Members of the conversation's inbox: {id, name}. */
  members: Array<{ id: number; name: string }>;
  /** Whether the contact is blocked. */
  blocked: boolean;
}

/** Row → Conversation, generated shape with integer ids (gap V1); `type` tells individual, group or email. */
const TYPES = { sms: 'individual', mms: 'group', email: 'email' } as const;

export function serializeConversation(c: ConversationRow, x: ConversationExtras) {
  return {
    id: c.id,
    assigned: c.assignedId ?? UNSET_INT,
    blocked: x.blocked,
    channel: c.channel,
    created: toIso(c.created),
    creator: c.creatorId ?? UNSET_INT,
    email_noti: false,
    inbox: c.inboxId,
    last_inbound: c.lastInbound === null ? UNSET_INT : Math.floor(c.lastInbound / 1000),
    local_id: c.localId ?? '',
    members: x.members,
    muted: false,
    name: c.name,
    noreply: '',
    op: c.op,
    read: c.read ? 1 : 0,
    replied: c.replied,
    snooze_till: UNSET_TIME,
    status: c.status,
    super: 0,
    support: false,
    target: c.target,
    targets: c.targets,
    type: TYPES[c.channel],
    updated: toIso(c.updated),
  };
}

export type ConversationJson = ReturnType<typeof serializeConversation>;
