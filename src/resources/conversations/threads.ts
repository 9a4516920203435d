import type { AppContext } from '../../context.js';
import { groupKey } from '../../domain/targets.js';
import type { InboxWithMembers } from '../inboxes/store.js';
import * as store from './store.js';
import type { ConversationRow } from './store.js';

// The conversation a message goes into, found or opened (gap M7, group MMS, email threads): one
// place for SMS, group MMS, broadcasts, email and the control plane's inbound simulation. A
// conversation is per inbox and target: an individual thread per number (a contact's second
// number has its own), a group thread per set of numbers, and a new thread per new email.

/** Who opens a thread and when; `creatorId` is null for one a contact opened (inbound). */
export interface Opener {
  creatorId: number | null;
  now: number;
}

type InboxRef = Pick<InboxWithMembers, 'id' | 'autoAssignable'>;
type ContactRef = { id: number; displayName: string };

function open(ctx: AppContext, teamId: number, inbox: InboxRef, by: Opener, v: Pick<store.ConversationInsert, 'channel' | 'target' | 'targets' | 'contactId' | 'name' | 'localId'>) {
  return store.insertConversation(ctx.db, teamId, {
    inboxId: inbox.id,
    ...v,
    creatorId: by.creatorId,
    // A new conversation is assigned to its opener when the inbox is auto-assignable.
    assignedId: inbox.autoAssignable ? by.creatorId : null,
    op: 'create',
    created: by.now,
    updated: by.now,
  });
}

/** A new individual SMS thread of the inbox with `contact` at `phone` (see findOrCreateSmsThread). */
export function newSmsThread(ctx: AppContext, teamId: number, inbox: InboxRef, contact: ContactRef, phone: string, by: Opener): ConversationRow {
  return open(ctx, teamId, inbox, by, { channel: 'sms', target: phone, targets: [phone], contactId: contact.id, name: contact.displayName });
}

/** The inbox's individual SMS thread with this number, or a new one with `contact`. */
export function findOrCreateSmsThread(ctx: AppContext, teamId: number, inbox: InboxRef, contact: ContactRef, phone: string, by: Opener): ConversationRow {
  return store.findByTarget(ctx.db, teamId, inbox.id, 'sms', phone) ?? newSmsThread(ctx, teamId, inbox, contact, phone, by);
}

/** One number of a group and the contact that owns it. */
export interface GroupMember {
  phone: string;
  contact: { displayName: string };
}

/**
 * The inbox's group MMS thread with exactly these numbers (any order), or a new one named after
 * its members: each contact's display name, else the number the group holds for them.
 */
export function findOrCreateGroupThread(ctx: AppContext, teamId: number, inbox: InboxRef, members: readonly GroupMember[], by: Opener): ConversationRow {
  const sorted = [...members].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0));
  const targets = sorted.map((m) => m.phone);
  const key = groupKey(targets);
  return (
    store.findByTarget(ctx.db, teamId, inbox.id, 'mms', key) ??
    open(ctx, teamId, inbox, by, { channel: 'mms', target: key, targets, contactId: null, name: sorted.map((m) => m.contact.displayName || m.phone).join(', ') })
  );
}

/** A new email thread with `contact` (its first to: address) and every recipient; `name` is its subject. */
export function newEmailThread(
  ctx: AppContext,
  teamId: number,
  inbox: InboxRef,
  contact: ContactRef,
  recipients: readonly string[],
  v: { name: string; localId: string | null },
  by: Opener,
): ConversationRow {
  return open(ctx, teamId, inbox, by, { channel: 'email', target: recipients[0]!, targets: [...recipients], contactId: contact.id, name: v.name, localId: v.localId });
}
