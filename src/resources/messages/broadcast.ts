import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AppContext } from '../../context.js';
import { ApiError } from '../../core/errors.js';
import { storeReplaced, teamEpoch } from '../../db/epochs.js';
import { SLICE_MS, trackSlices } from '../../db/slices.js';
import { inTransaction, type Db } from '../../db/open.js';
import { unreachableReason } from '../../domain/reachability.js';
import { isProblem, resolveFamily } from '../../domain/targets.js';
import { toIso } from '../../domain/time.js';
import { magicRefusal } from '../contacts/errors.js';
import { contactsByPhones, phoneContact } from '../contacts/find-or-create.js';
import { getContactsByIds, type ContactRow } from '../contacts/store.js';
import { findByTargets, type ConversationRow } from '../conversations/store.js';
import { newSmsThread } from '../conversations/threads.js';
import { checkSender } from '../inboxes/sender.js';
import { getList, listEntries, updateEntry, type ListMemberRow, type ListRow } from '../lists/store.js';
import {
  fieldTitles, mergeValuesOf, resolveContent, writeMessage,
  fingerprintOf, type FieldTitles, type Outgoing, type SendKey, type SendOptions, type SendRequest, type SendResponse,
} from './compose.js';
import { badTarget, noReachableMember, noSuchList } from './errors.js';
import * as store from './store.js';

// A list broadcast (list_id + local_id): one message and one 1:1 conversation per reachable
// member, written in slices so the server keeps answering other requests (docs/decisions.md,
// "broadcast writes"):
//   1. one transaction: validate, check that some member is reachable (reads), then write the
//      broadcast row and the send key as an in-progress marker holding the request;
//   2. the members in slices, one transaction each (at most CHUNK entries, and it stops taking
//      entries once SLICE_MS have passed), yielding to the event loop in between; each slice reads
//      its entries' contacts and conversations afresh, since other requests ran meanwhile;
//   3. one transaction: the send key gets the final answer (the first message).
// All or nothing: when a slice fails, the broadcast undoes what its earlier slices wrote and the
// request fails. A repeat of the local_id in this process waits for the run and replays its
// answer; a marker no run holds (the process died mid-way) is resumed by the repeat, which skips
// the members who already have their message.

/** List entries a slice reads ahead (their contacts and conversations in a few queries). */
export const CHUNK = 50;

/** The send key's answer while a broadcast is being written. */
export interface InProgress {
  in_progress: true;
  broadcast_id: number;
  /** The request the broadcast was started with: a resumed run sends the same. */
  request: SendRequest;
}

export const isInProgress = (r: Record<string, unknown>): r is Record<string, unknown> & InProgress => r.in_progress === true;

/** Broadcasts being written by this process, per database, by team and key. */
const running = new WeakMap<Db, Map<string, Promise<SendResponse>>>();
const runName = (teamId: number, key: SendKey) => `${teamId}\n${key.scope}\n${key.id}`;

function runsOf(db: Db) {
  let m = running.get(db);
  if (!m) running.set(db, (m = new Map()));
  return m;
}

/** The run of this key in progress in this process, if any (await it, then look again). */
export function runningBroadcast(ctx: AppContext, teamId: number, key: SendKey): Promise<SendResponse> | undefined {
  return runsOf(ctx.db).get(runName(teamId, key));
}

/** A list entry with the number it is messaged at and the contact it reaches now, if any yet. */
interface Member {
  entry: ListMemberRow;
  phone: string;
  /** Undefined for a lightweight number no contact owns yet: the broadcast creates one. */
  contact: ContactRow | undefined;
}

interface Plan {
  out: Outgoing;
  list: ListRow;
  entries: ListMemberRow[];
  titles: FieldTitles;
  /** Contacts some entry of the list points at (an entry is linked only to a contact no other entry has). */
  linked: Set<number>;
  /** Contacts messaged so far: each once, however many entries reach it. */
  seen: Set<number>;
}

/** What a run wrote, so a failure can undo it (only this run's writes: a resumed run keeps the earlier ones). */
interface Written {
  messages: number[];
  conversations: number[];
  contacts: number[];
  touched: Array<{ id: number; updated: number; prior: Pick<ConversationRow, 'status' | 'replied' | 'updated'> }>;
  linked: ListMemberRow[];
}

const nothingWritten = (): Written => ({ messages: [], conversations: [], contacts: [], touched: [], linked: [] });

function addWritten(into: Written, w: Written) {
  into.messages.push(...w.messages);
  into.conversations.push(...w.conversations);
  into.contacts.push(...w.contacts);
  into.touched.push(...w.touched);
  into.linked.push(...w.linked);
}

/**
 * Entries as members, in list order, as the store stands now (two queries for the batch): a
 * linked entry reaches its contact at the contact's phone, a lightweight one its number and the
 * contact owning it, if any. Undefined for an entry without a phone (email-only entries are not
 * reachable by SMS) or whose contact is gone.
 */
function resolve(ctx: AppContext, teamId: number, entries: readonly ListMemberRow[]): Array<Member | undefined> {
  const linked = new Map(getContactsByIds(ctx.db, teamId, entries.flatMap((e) => (e.contactId === null ? [] : [e.contactId]))).map((c) => [c.id, c]));
  const owners = contactsByPhones(ctx, teamId, entries.flatMap((e) => (e.contactId === null && e.phone ? [e.phone] : [])));
  return entries.map((entry) => {
    const own = entry.contactId !== null ? linked.get(entry.contactId) : undefined;
    // A linked entry whose contact was deleted went with it (or is about to): nobody to message.
    if (entry.contactId !== null && !own) return undefined;
    const phone = own?.phone ?? entry.phone;
    // A refusing magic number is skipped like an unreachable member (control-plane spec, Magic recipients).
    return phone && !magicRefusal(phone) ? { entry, phone, contact: own ?? owners.get(phone) } : undefined;
  });
}

/** A broadcast skips members who opted out or are blocked, and contacts it already messaged. */
const skipped = (m: Member | undefined, seen: ReadonlySet<number>): m is undefined =>
  !m || (m.contact !== undefined && (seen.has(m.contact.id) || unreachableReason(m.contact, 'sms') !== undefined));

/** Whether any entry can receive the broadcast, looked up CHUNK entries at a time until one can. */
function anyReachable(ctx: AppContext, teamId: number, entries: readonly ListMemberRow[]): boolean {
  for (let i = 0; i < entries.length; i += CHUNK) {
    if (resolve(ctx, teamId, entries.slice(i, i + CHUNK)).some((m) => !skipped(m, new Set()))) return true;
  }
  return false;
}

/** Writes entries of `chunk` (inside its transaction) until `deadline`; answers what it wrote and how many entries it took. */
function writeSlice(ctx: AppContext, teamId: number, plan: Plan, chunk: readonly ListMemberRow[], deadline: number): { w: Written; taken: number } {
  const w = nothingWritten();
  const { db } = ctx;
  const { inbox } = plan.out;
  const members = resolve(ctx, teamId, chunk);
  const phones = members.flatMap((m) => (m ? [m.phone] : []));
  const threads = findByTargets(db, teamId, inbox.id, 'sms', phones);
  const done = store.conversationsWithBroadcast(db, teamId, plan.out.broadcastId!, [...threads.values()].map((c) => c.id));
  // Mutated in place: a slice that fails undoes the whole broadcast, plan and all.
  const { seen } = plan;
  let taken = 0;
  for (const m of members) {
    // At least one entry per slice, so the broadcast always moves on.
    if (taken > 0 && performance.now() >= deadline) break;
    taken++;
    if (skipped(m, seen)) continue;
    let conversation = threads.get(m.phone);
    let contact = m.contact;
    if (!contact) {
      const made = phoneContact(ctx, teamId, m.phone, m.entry);
      contact = made.contact;
      if (made.created) w.contacts.push(contact.id);
      if (seen.has(contact.id)) continue;
    }
    seen.add(contact.id);
    if (conversation && done.has(conversation.id)) continue; // a resumed run: this member has its message
    // The lightweight target now has a contact: the entry points at it from here on.
    if (m.entry.contactId === null && !plan.linked.has(contact.id)) {
      updateEntry(db, teamId, plan.list.id, m.entry.id, { contactId: contact.id, phone: m.entry.phone, email: m.entry.email, first: m.entry.first, last: m.entry.last });
      plan.linked.add(contact.id);
      w.linked.push(m.entry);
    }
    const at = ctx.clock.now(teamId);
    if (conversation) {
      w.touched.push({ id: conversation.id, updated: at, prior: { status: conversation.status, replied: conversation.replied, updated: conversation.updated } });
    } else {
      conversation = newSmsThread(ctx, teamId, inbox, contact, m.phone, { creatorId: plan.out.req.creator_id, now: at });
      w.conversations.push(conversation.id);
    }
    const msg = writeMessage(ctx, teamId, plan.out, { conversation, merge: mergeValuesOf(plan.titles, contact, m.entry), to: [m.phone] }, at);
    w.messages.push(msg.id);
  }
  return { w, taken };
}

/** Removes what this run wrote, in one transaction; a fresh run also removes its broadcast and marker. */
function undo(ctx: AppContext, teamId: number, plan: Plan, key: SendKey, w: Written, fresh: boolean) {
  inTransaction(ctx.db, () => {
    const { db } = ctx;
    for (const e of w.linked) updateEntry(db, teamId, plan.list.id, e.id, { contactId: e.contactId, phone: e.phone, email: e.email, first: e.first, last: e.last });
    store.deleteMessages(db, teamId, w.messages);
    store.deleteEmptyConversations(db, teamId, w.conversations);
    for (const t of w.touched) store.restoreConversation(db, teamId, t.id, t.updated, t.prior);
    store.deleteUnreferencedContacts(db, teamId, w.contacts);
    if (fresh) {
      store.deleteBroadcast(db, teamId, plan.out.broadcastId!);
      store.deleteSendKey(db, teamId, key.scope, key.id);
    }
  });
}

async function run(ctx: AppContext, teamId: number, given: SendRequest, key: SendKey, opts: SendOptions, prior: InProgress | undefined): Promise<SendResponse> {
  const { db } = ctx;
  const req = prior?.request ?? given;
  // 1. Validate and resolve (reads), then the broadcast row and the in-progress marker.
  const plan = inTransaction(db, (): Plan => {
    const inbox = checkSender(ctx, teamId, req.inbox_id, req.creator_id, 'sms', { inbox: 'inbox_id', creator: 'creator_id' });
    const family = resolveFamily(req);
    if (isProblem(family)) throw badTarget(family);
    if (family.kind !== 'list') throw new Error(`broadcast: a ${family.kind} send is not a broadcast`);
    const content = resolveContent(ctx, teamId, req);
    const list = getList(db, teamId, family.listId);
    if (!list) throw noSuchList('list_id', family.listId);
    const entries = listEntries(db, teamId, list.id);
    if (!anyReachable(ctx, teamId, entries)) throw noReachableMember('list_id', list.id);
    const now = ctx.clock.now(teamId);
    let broadcastId = prior?.broadcast_id;
    if (broadcastId === undefined) {
      broadcastId = store.insertBroadcast(db, teamId, list.id, family.localId, now);
      const marker: InProgress = { in_progress: true, broadcast_id: broadcastId, request: req };
      store.putSendKey(db, teamId, key.scope, key.id, { ...marker }, now, fingerprintOf(req));
    }
    const out: Outgoing = { inbox, req, content, channel: content.mediaUrl ? 'mms' : 'sms', broadcastId, scheduleId: opts.scheduleId ?? null };
    const linked = new Set(entries.flatMap((e) => (e.contactId === null ? [] : [e.contactId])));
    return { out, list, entries, titles: fieldTitles(ctx, teamId), linked, seen: new Set() };
  });
  // 2. The members in slices, other requests served in between.
  const written = nothingWritten();
  const epoch = teamEpoch(db, teamId);
  try {
    for (let i = 0; i < plan.entries.length; ) {
      if (i > 0) await nextTurn();
      if (teamEpoch(db, teamId) !== epoch) throw storeReplaced('broadcast');
      const slice = inTransaction(db, () => writeSlice(ctx, teamId, plan, plan.entries.slice(i, i + CHUNK), performance.now() + SLICE_MS));
      addWritten(written, slice.w);
      i += slice.taken;
    }
    // 3. The answer names the first message; it replaces the marker.
    return inTransaction(db, () => {
      // This run's first message, unless an earlier (resumed) run wrote some before it.
      const fromId = prior ? 0 : written.messages[0];
      const first = fromId === undefined ? undefined : store.firstOfBroadcast(db, teamId, plan.out.broadcastId!, fromId);
      // Every member opted out or was blocked while the broadcast ran.
      if (!first) throw noReachableMember('list_id', plan.list.id);
      const response: SendResponse = { id: first.id, date: toIso(first.created), gallery_url: first.galleryUrl };
      store.setSendKeyResponse(db, teamId, key.scope, key.id, response);
      return response;
    });
  } catch (e) {
    // A replaced store took the broadcast's rows with it; an undo would delete rows of the new one (ids are reused after a reset).
    if (e instanceof ApiError && e.errorCode === 'store_replaced') throw e;
    try {
      undo(ctx, teamId, plan, key, written, prior === undefined);
    } catch {
      // The undo rolled back too: the marker stays in progress, so a repeat resumes the broadcast.
    }
    throw e;
  }
}

/**
 * Sends a list broadcast; `prior` is the marker of one an earlier run left in progress. The
 * caller has checked (synchronously, just before) that no run of this key is in progress here.
 */
export function sendBroadcast(ctx: AppContext, teamId: number, req: SendRequest, key: SendKey, opts: SendOptions, prior?: InProgress): Promise<SendResponse> {
  const runs = runsOf(ctx.db);
  const name = runName(teamId, key);
  // Closing waits for it like for any sliced work (src/db/slices.ts).
  const p = trackSlices(ctx.db, run(ctx, teamId, req, key, opts, prior));
  runs.set(name, p);
  const clear = () => {
    if (runs.get(name) === p) runs.delete(name);
  };
  p.then(clear, clear);
  return p;
}
