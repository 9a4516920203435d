import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/open.js';
import { badData } from '../../core/errors.js';
import * as contacts from '../contacts/store.js';
import type { ContactRow } from '../contacts/store.js';
import { apiCreatorId, getTeam } from '../team/store.js';
import { serializeList, type ListRecipients } from './serialize.js';
import * as store from './store.js';
import type { EntryValues, ListMemberRow, ListRow } from './store.js';

// List membership spans the contact store and the list store, so it lives here (DESIGN: service.ts).
//
// An entry is a contact, or a lightweight phone or email target with no contact. A phone or email
// that belongs to a contact of the team links to that contact; otherwise it is kept as a target
// and no contact is created (the send creates it when it needs one). The same contact, phone or
// address is on a list once.

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

  /** True when the contact has `e`'s phone or address among its channels. */
  owns(contactId: number, e: Entry): boolean {
    if (e.phone !== null && this.phonesOf.get(contactId)?.has(e.phone)) return true;
    return e.email !== null && (this.emailsOf.get(contactId)?.has(e.email.toLowerCase()) ?? false);
  }
}

type Entry = EntryValues & { id?: number };

const contactEntry = (contactId: number): Entry => ({ contactId, phone: null, email: null, first: '', last: '' });

/**
 * A list's entries being edited in memory; `save` writes the difference. `overAt` names the
 * request field whose entry first took the list past the team's list_size (gap L3).
 */
class Membership {
  entries: Entry[];
  overAt: string | undefined;

  constructor(
    private readonly kind: ListKind,
    private readonly cap: number,
    private readonly dir: Directory,
    private readonly original: ListMemberRow[],
  ) {
    this.entries = original.map((r) => ({ id: r.id, contactId: r.contactId, phone: r.phone, email: r.email, first: r.first, last: r.last }));
  }

  private push(e: Entry, field: string) {
    this.entries.push(e);
    if (this.entries.length > this.cap && this.overAt === undefined) this.overAt = field;
  }

  clear() {
    this.entries = [];
  }

  addContact(c: ContactRow, field: string) {
    if (this.kind === 'phones' && c.phone === null) {
      throw badData(field, `${field}: contact ${c.id} has no phone number, and this list holds phone numbers (a list created with "type": "contacts" can hold it)`);
    }
    if (this.entries.some((e) => e.contactId === c.id)) return;
    // Lightweight targets that turn out to be this contact's phone or address become the contact.
    const same = this.entries.filter((e) => e.contactId === null && this.dir.owns(c.id, e));
    if (same.length) {
      Object.assign(same[0]!, contactEntry(c.id));
      this.entries = this.entries.filter((e) => !same.slice(1).includes(e));
      return;
    }
    this.push(contactEntry(c.id), field);
  }

  addContactId(id: number, field: string) {
    const c = this.dir.byId.get(id);
    if (!c) throw badData(field, `${field}: no contact with id ${id} in this team`);
    this.addContact(c, field);
  }

  addPhone(phone: string, field: string) {
    const owner = this.dir.phoneOwner(phone);
    if (owner) return this.addContact(owner, field);
    if (this.entries.some((e) => e.contactId === null && e.phone === phone)) return;
    this.push({ contactId: null, phone, email: null, first: '', last: '' }, field);
  }

  addEmail(email: string, field: string) {
    const owner = this.dir.emailOwner(email);
    if (owner) return this.addContact(owner, field);
    const lower = email.toLowerCase();
    if (this.entries.some((e) => e.contactId === null && e.email?.toLowerCase() === lower)) return;
    this.push({ contactId: null, phone: null, email, first: '', last: '' }, field);
  }

  /** Removing what is not on the list changes nothing. */
  removeContact(id: number) {
    this.entries = this.entries.filter((e) => e.contactId !== id);
  }

  removePhone(phone: string) {
    const owner = this.dir.phoneOwner(phone)?.id;
    this.entries = this.entries.filter((e) => !(e.contactId === null ? e.phone === phone : e.contactId === owner));
  }

  removeEmail(email: string) {
    const owner = this.dir.emailOwner(email)?.id;
    const lower = email.toLowerCase();
    this.entries = this.entries.filter((e) => !(e.contactId === null ? e.email?.toLowerCase() === lower : e.contactId === owner));
  }

  /** 400 when the request grew the list past list_size (a list already over it may still shrink or be renamed). */
  checkCap() {
    if (this.entries.length > this.cap && this.overAt !== undefined) {
      throw badData(
        this.overAt,
        `${this.overAt}: the list would hold ${this.entries.length} recipients, more than this team's list_size of ${this.cap} (GET /v1/team)`,
      );
    }
  }

  /** Writes the difference: removed entries go first, so the unique (list, contact/phone) indexes never clash. */
  save(ctx: AppContext, teamId: number, listId: number) {
    const kept = new Set(this.entries.flatMap((e) => (e.id === undefined ? [] : [e.id])));
    store.deleteEntries(ctx.db, teamId, listId, this.original.filter((r) => !kept.has(r.id)).map((r) => r.id));
    const before = new Map(this.original.map((r) => [r.id, r]));
    for (const e of this.entries) {
      if (e.id === undefined) continue;
      const r = before.get(e.id)!;
      if (r.contactId !== e.contactId || r.phone !== e.phone || r.email !== e.email) store.updateEntry(ctx.db, teamId, listId, e.id, values(e));
    }
    for (const e of this.entries) if (e.id === undefined) store.insertEntry(ctx.db, teamId, listId, values(e));
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
