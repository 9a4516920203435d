import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { badData } from '../../core/errors.js';
import { createChannelContacts } from '../contacts/find-or-create.js';
import * as contacts from '../contacts/store.js';
import type { ContactRow } from '../contacts/store.js';
import { apiCreatorId, getTeam } from '../team/store.js';
import { serializeList, type ListRecipients } from './serialize.js';
import * as store from './store.js';
import type { EntryValues, ListMemberRow, ListRow } from './store.js';

// List membership spans the contact store and the list store, so it lives here (DESIGN: service.ts).
//
// An entry is a contact. A phone or email that belongs to a contact of the team links to that
// contact; one no contact has gets a new contact, created in the same transaction (lists/create:
// "numbers not yet in the account become new contacts"; issue #8.4). Lists written before that may
// still hold lightweight phone or email targets with no contact; they are kept, and become the
// contact when their number or address is added again. The same contact, phone or address is on a
// list once.
//
// Everything is indexed in Maps, so a request costs O(entries + items) (issue #11.3), and the
// team's list_size is checked on the plan in memory, before any contact or entry is written.

export type ListKind = ListRow['kind'];

/** What POST /v2/lists and POST /v1/list carry besides title and local_id. */
export interface ListSources {
  contacts?: number[];
  phones?: string[];
  emails?: string[];
}

/** What PUT /v2/lists/{id} and PUT /v1/list/{id} carry. */
export interface ListChanges {
  title?: string;
  contacts?: number[];
  add_contacts?: number[];
  remove_contacts?: number[];
  add_phones?: string[];
  remove_phones?: string[];
  phones?: string[];
  add_emails?: string[];
  remove_emails?: string[];
  emails?: string[];
}

/**
 * The team's contacts a request names, looked up in a few queries up front: by id, and the owners
 * of its phones and emails (any channel of that type, emails case-insensitively; the lowest
 * contact id when several share an address).
 */
class Directory {
  readonly byId = new Map<number, ContactRow>();
  private readonly byPhone = new Map<string, number>();
  private readonly byEmail = new Map<string, number>();
  private readonly phonesOf = new Map<number, Set<string>>();
  private readonly emailsOf = new Map<number, Set<string>>();

  constructor(ctx: AppContext, teamId: number, ids: number[], phones: string[], emails: string[]) {
    const { db } = ctx;
    const uniq = <T>(v: T[]) => [...new Set(v)];
    const wantedPhones = new Set(phones);
    const wantedEmails = new Set(emails.map((e) => e.toLowerCase()));
    const owners = [
      ...contacts.contactIdsByChannel(db, teamId, 'phone', uniq(phones)),
      ...contacts.contactIdsByChannel(db, teamId, 'email', uniq(emails)),
    ];
    const all = uniq([...ids, ...owners]);
    for (const c of contacts.getContactsByIds(db, teamId, all)) this.byId.set(c.id, c);
    const channels = contacts.channelsOfContacts(db, teamId, all);
    for (const id of [...channels.keys()].sort((a, b) => a - b)) {
      const phoneSet = new Set<string>();
      const emailSet = new Set<string>();
      for (const ch of channels.get(id)!) {
        if (ch.channelType === 'phone') {
          phoneSet.add(ch.channelId);
          if (wantedPhones.has(ch.channelId) && !this.byPhone.has(ch.channelId)) this.byPhone.set(ch.channelId, id);
        } else if (ch.channelType === 'email') {
          const lower = ch.channelId.toLowerCase();
          emailSet.add(lower);
          if (wantedEmails.has(lower) && !this.byEmail.has(lower)) this.byEmail.set(lower, id);
        }
      }
      this.phonesOf.set(id, phoneSet);
      this.emailsOf.set(id, emailSet);
    }
  }

  phoneOwner(phone: string): ContactRow | undefined {
    const id = this.byPhone.get(phone);
    return id === undefined ? undefined : this.byId.get(id);
  }

  emailOwner(email: string): ContactRow | undefined {
    const id = this.byEmail.get(email.toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The phones and (lower-cased) addresses of a contact the request touches. */
  channelsOf(contactId: number): { phones: ReadonlySet<string>; emails: ReadonlySet<string> } {
    return { phones: this.phonesOf.get(contactId) ?? NONE, emails: this.emailsOf.get(contactId) ?? NONE };
  }
}

const NONE: ReadonlySet<string> = new Set();

/** An entry being planned: `id` when it is stored already, `create` when a new contact is to be made for its phone or email. */
type Entry = EntryValues & { id?: number; seq: number; create?: boolean };

/**
 * A list's entries being edited in memory, indexed by contact, by lightweight phone and by
 * lightweight address; `save` writes the difference. `overAt` names the request field whose entry
 * first took the list past the team's list_size (gap L3).
 */
class Membership {
  private readonly entries = new Set<Entry>();
  private readonly byContact = new Map<number, Entry>();
  /** Entries without a contact (stored lightweight targets, or new contacts to create), by phone. */
  private readonly byPhone = new Map<string, Entry>();
  /** The same by lower-cased address. */
  private readonly byEmail = new Map<string, Entry>();
  private seq = 0;
  overAt: string | undefined;

  constructor(
    private readonly kind: ListKind,
    private readonly cap: number,
    private readonly dir: Directory,
    private readonly original: ListMemberRow[],
  ) {
    for (const r of original) this.index({ id: r.id, contactId: r.contactId, phone: r.phone, email: r.email, first: r.first, last: r.last, seq: this.seq++ });
  }

  private index(e: Entry) {
    this.entries.add(e);
    if (e.contactId !== null) this.byContact.set(e.contactId, e);
    else if (e.phone !== null) this.byPhone.set(e.phone, e);
    else if (e.email !== null) this.byEmail.set(e.email.toLowerCase(), e);
  }

  private drop(e: Entry) {
    this.entries.delete(e);
    if (e.contactId !== null) this.byContact.delete(e.contactId);
    else if (e.phone !== null) this.byPhone.delete(e.phone);
    else if (e.email !== null) this.byEmail.delete(e.email.toLowerCase());
  }

  private push(e: Omit<Entry, 'seq'>, field: string) {
    this.index({ ...e, seq: this.seq++ });
    if (this.entries.size > this.cap && this.overAt === undefined) this.overAt = field;
  }

  clear() {
    this.entries.clear();
    this.byContact.clear();
    this.byPhone.clear();
    this.byEmail.clear();
  }

  addContact(c: ContactRow, field: string) {
    if (this.kind === 'phones' && c.phone === null) {
      throw badData(field, `${field}: contact ${c.id} has no phone number, and this list holds phone numbers (a list created with "type": "contacts" can hold it)`);
    }
    if (this.byContact.has(c.id)) return;
    // Lightweight targets that turn out to be this contact's phone or address become the contact,
    // in the place of the first of them.
    const { phones, emails } = this.dir.channelsOf(c.id);
    const same: Entry[] = [];
    for (const p of phones) {
      const e = this.byPhone.get(p);
      if (e) same.push(e);
    }
    for (const a of emails) {
      const e = this.byEmail.get(a);
      if (e) same.push(e);
    }
    if (same.length) {
      same.sort((a, b) => a.seq - b.seq);
      for (const e of same) this.drop(e);
      const [keep] = same;
      this.index({ ...keep!, contactId: c.id, phone: null, email: null, first: '', last: '', create: false });
      return;
    }
    this.push({ contactId: c.id, phone: null, email: null, first: '', last: '' }, field);
  }

  addContactId(id: number, field: string) {
    const c = this.dir.byId.get(id);
    if (!c) throw badData(field, `${field}: no contact with id ${id} in this team`);
    this.addContact(c, field);
  }

  /** A number no contact has gets a new contact at save; one already on the list as a lightweight target gets it too. */
  addPhone(phone: string, field: string) {
    const owner = this.dir.phoneOwner(phone);
    if (owner) return this.addContact(owner, field);
    const e = this.byPhone.get(phone);
    if (e) {
      e.create = true;
      return;
    }
    this.push({ contactId: null, phone, email: null, first: '', last: '', create: true }, field);
  }

  addEmail(email: string, field: string) {
    const owner = this.dir.emailOwner(email);
    if (owner) return this.addContact(owner, field);
    const e = this.byEmail.get(email.toLowerCase());
    if (e) {
      e.create = true;
      return;
    }
    this.push({ contactId: null, phone: null, email, first: '', last: '', create: true }, field);
  }

  /** Removing what is not on the list changes nothing. */
  removeContact(id: number) {
    const e = this.byContact.get(id);
    if (e) this.drop(e);
  }

  /** The number's lightweight entry (or the new contact planned for it) and the contact that has it. */
  removePhone(phone: string) {
    const e = this.byPhone.get(phone);
    if (e) this.drop(e);
    const owner = this.dir.phoneOwner(phone);
    if (owner) this.removeContact(owner.id);
  }

  removeEmail(email: string) {
    const e = this.byEmail.get(email.toLowerCase());
    if (e) this.drop(e);
    const owner = this.dir.emailOwner(email);
    if (owner) this.removeContact(owner.id);
  }

  /** 400 when the request grew the list past list_size (a list already over it may still shrink or be renamed). */
  checkCap() {
    if (this.entries.size > this.cap && this.overAt !== undefined) {
      throw badData(
        this.overAt,
        `${this.overAt}: the list would hold ${this.entries.size} recipients, more than this team's list_size of ${this.cap} (GET /v1/team)`,
      ).coded('too_large');
    }
  }

  /**
   * Writes the plan: first the contacts for new numbers and addresses (with the entry's names, so
   * they still feed merge tokens), then the entries' difference. Removed entries go first, so the
   * unique (list, contact/phone) indexes never clash.
   */
  save(ctx: AppContext, teamId: number, listId: number): void {
    const fresh = [...this.entries].filter((e) => e.create);
    const made = createChannelContacts(
      ctx,
      teamId,
      fresh.map((e) => (e.phone !== null ? { type: 'phone', value: e.phone, first: e.first, last: e.last } : { type: 'email', value: e.email!, first: e.first, last: e.last })),
    );
    fresh.forEach((e, i) => Object.assign(e, { contactId: made[i]!.id, phone: null, email: null, create: false }));

    const kept = new Set<number>();
    for (const e of this.entries) if (e.id !== undefined) kept.add(e.id);
    store.deleteEntries(ctx.db, teamId, listId, this.original.filter((r) => !kept.has(r.id)).map((r) => r.id));
    const before = new Map(this.original.map((r) => [r.id, r]));
    const ordered = [...this.entries].sort((a, b) => a.seq - b.seq);
    for (const e of ordered) {
      if (e.id === undefined) continue;
      const r = before.get(e.id)!;
      if (r.contactId !== e.contactId || r.phone !== e.phone || r.email !== e.email) store.updateEntry(ctx.db, teamId, listId, e.id, values(e));
    }
    for (const e of ordered) if (e.id === undefined) store.insertEntry(ctx.db, teamId, listId, values(e));
  }
}

const values = (e: Entry): EntryValues => ({ contactId: e.contactId, phone: e.phone, email: e.email, first: e.first, last: e.last });

function listSize(ctx: AppContext, teamId: number): number {
  return getTeam(ctx.db, teamId)?.listSize ?? 0;
}

/** Emails only make sense on an omnichannel list (lists.md, inf). */
function assertEmailsAllowed(kind: ListKind, fields: Array<[string, string[] | undefined]>) {
  for (const [field, list] of fields) {
    if (list !== undefined && kind !== 'contacts') {
      throw badData(field, `${field}: email recipients need a contact-based list (create it with "type": "contacts")`);
    }
  }
}

export interface NewList extends ListSources {
  title: string;
  localId: string;
  uuid: string;
  kind: ListKind;
}

/**
 * Creates a list with its entries in one transaction (contacts, then phones, then emails).
 * `local_id` exists "to avoid duplicate lists" (doc): a repeat returns the existing list unchanged.
 * The local_id look-up is inside the (IMMEDIATE) transaction, so two concurrent creates with one
 * local_id, even from two processes on one database file, make one list; the unique index
 * lists_team_local_id backs that up.
 */
export function createList(ctx: AppContext, teamId: number, input: NewList): ListRow {
  return inTransaction(ctx.db, () => {
    const existing = store.findListByLocalId(ctx.db, teamId, input.localId);
    if (existing) return existing;
    const given = (input.contacts?.length ?? 0) + (input.phones?.length ?? 0) + (input.emails?.length ?? 0);
    if (given === 0) {
      throw badData(undefined, 'give at least one recipient: contacts (contact ids), phones or emails (broadcast guide)');
    }
    assertEmailsAllowed(input.kind, [['emails', input.emails]]);
    const dir = new Directory(ctx, teamId, input.contacts ?? [], input.phones ?? [], input.emails ?? []);
    const m = new Membership(input.kind, listSize(ctx, teamId), dir, []);
    input.contacts?.forEach((id, i) => m.addContactId(id, `contacts[${i}]`));
    input.phones?.forEach((p, i) => m.addPhone(p, `phones[${i}]`));
    input.emails?.forEach((e, i) => m.addEmail(e, `emails[${i}]`));
    m.checkCap();
    const row = store.createList(
      ctx.db,
      teamId,
      { uuid: input.uuid, name: input.title, localId: input.localId, kind: input.kind, creatorId: apiCreatorId(ctx.db, teamId) },
      ctx.clock.now(teamId),
    );
    m.save(ctx, teamId, row.id);
    return row;
  });
}

/**
 * Applies an update in the order replace (`contacts`) → add → remove (gap L2), in one transaction.
 * Every accepted update is a new revision.
 */
export function updateList(ctx: AppContext, teamId: number, before: ListRow, c: ListChanges): ListRow {
  assertEmailsAllowed(before.kind, [['add_emails', c.add_emails], ['emails', c.emails]]);
  return inTransaction(ctx.db, () => {
    const ids = [...(c.contacts ?? []), ...(c.add_contacts ?? [])];
    const phones = [...(c.add_phones ?? []), ...(c.phones ?? []), ...(c.remove_phones ?? [])];
    const emails = [...(c.add_emails ?? []), ...(c.emails ?? []), ...(c.remove_emails ?? [])];
    const dir = new Directory(ctx, teamId, ids, phones, emails);
    const m = new Membership(before.kind, listSize(ctx, teamId), dir, store.listEntries(ctx.db, teamId, before.id));
    if (c.contacts !== undefined) {
      m.clear();
      c.contacts.forEach((id, i) => m.addContactId(id, `contacts[${i}]`));
    }
    c.add_contacts?.forEach((id, i) => m.addContactId(id, `add_contacts[${i}]`));
    c.add_phones?.forEach((p, i) => m.addPhone(p, `add_phones[${i}]`));
    c.phones?.forEach((p, i) => m.addPhone(p, `phones[${i}]`));
    c.add_emails?.forEach((e, i) => m.addEmail(e, `add_emails[${i}]`));
    c.emails?.forEach((e, i) => m.addEmail(e, `emails[${i}]`));
    c.remove_contacts?.forEach((id) => m.removeContact(id));
    c.remove_phones?.forEach((p) => m.removePhone(p));
    c.remove_emails?.forEach((e) => m.removeEmail(e));
    m.checkCap();
    m.save(ctx, teamId, before.id);
    return store.touchList(ctx.db, before, c.title !== undefined ? { name: c.title } : {}, ctx.clock.now(teamId));
  });
}

/**
 * DELETE: the doc lets the named `contact_ids` leave the list before it is deleted; deleting the
 * list removes every entry anyway (foreign-key cascade), so only the list delete is needed.
 * Contacts are kept.
 */
export function deleteList(ctx: AppContext, teamId: number, list: ListRow) {
  store.deleteList(ctx.db, teamId, list.id);
}

/**
 * Rows → List objects. `targets` maps every entry with a phone to its names: a linked contact's
 * current phone/first/last, a lightweight target's own. `contacts` and `emails` show the rest.
 */
export function presentLists(ctx: AppContext, teamId: number, rows: ListRow[]) {
  const entries = store.entriesOfLists(ctx.db, teamId, rows.map((r) => r.id));
  const ids = [...new Set([...entries.values()].flat().flatMap((e) => (e.contactId === null ? [] : [e.contactId])))];
  const people = new Map(contacts.getContactsByIds(ctx.db, teamId, ids).map((c) => [c.id, c]));
  return rows.map((row) => {
    const r: ListRecipients = { targets: {}, contacts: [], emails: [] };
    for (const e of entries.get(row.id) ?? []) {
      if (e.contactId !== null) {
        r.contacts.push(e.contactId);
        const c = people.get(e.contactId);
        if (c?.phone) r.targets[c.phone] = { f: c.first, l: c.last };
      } else if (e.phone !== null) {
        r.targets[e.phone] = { f: e.first, l: e.last };
      } else if (e.email !== null) {
        r.emails.push(e.email);
      }
    }
    return serializeList(row, r);
  });
}
