import type { AppContext } from '../../context.js';
import { deriveDisplayName } from '../../domain/contacts.js';
import { apiCreatorId } from '../team/store.js';
import { contactByPhone, createContact } from './service.js';
import { channelsOfContacts, contactIdsByChannel, getContact, getContactsByIds, insertChannel, insertContact, newContactRow, type ContactRow } from './store.js';

// The contact a send (or an inbound message) is with, found by any of its channels and created
// when new (gap M7): one place for SMS, group MMS, broadcasts, email and the control plane's
// inbound simulation. A number or address belongs to at most one contact per team.

export { contactByPhone };

/** Names a new contact starts with (a lightweight list entry's, for instance). */
export interface NewNames {
  first?: string;
  last?: string;
}

/** The contact with this number on any of its phone channels, created (phone only) when new. */
export function findOrCreateByPhone(ctx: AppContext, teamId: number, phone: string, names: NewNames = {}): ContactRow {
  return phoneContact(ctx, teamId, phone, names).contact;
}

/** findOrCreateByPhone, telling whether the contact is new (a broadcast undoing its writes must know). */
export function phoneContact(ctx: AppContext, teamId: number, phone: string, names: NewNames = {}): { contact: ContactRow; created: boolean } {
  const found = contactByPhone(ctx, teamId, phone);
  if (found) return { contact: found, created: false };
  return { contact: createContact(ctx, teamId, { phone, first: names.first || undefined, last: names.last || undefined }), created: true };
}

/** The contact with this address on any of its email channels (compared case-insensitively). */
export function contactByEmail(ctx: AppContext, teamId: number, address: string): ContactRow | undefined {
  const id = contactIdsByChannel(ctx.db, teamId, 'email', [address])[0];
  return id === undefined ? undefined : getContact(ctx.db, teamId, id);
}

/** The contact with this address, created (as an email channel) when new. */
export function findOrCreateByEmail(ctx: AppContext, teamId: number, address: string): ContactRow {
  return contactByEmail(ctx, teamId, address) ?? createContact(ctx, teamId, {}, [{ channelType: 'email', channelId: address }]);
}

/** The contacts owning any of these numbers, keyed by number, in three queries however many there are. */
export function contactsByPhones(ctx: AppContext, teamId: number, phones: readonly string[]): Map<string, ContactRow> {
  const out = new Map<string, ContactRow>();
  if (!phones.length) return out;
  const wanted = new Set(phones);
  const rows = getContactsByIds(ctx.db, teamId, contactIdsByChannel(ctx.db, teamId, 'phone', [...wanted]));
  const channels = channelsOfContacts(ctx.db, teamId, rows.map((r) => r.id));
  for (const row of rows) {
    for (const ch of channels.get(row.id) ?? []) {
      if (ch.channelType === 'phone' && wanted.has(ch.channelId)) out.set(ch.channelId, row);
    }
  }
  return out;
}

/** A contact to create with one channel: what a list entry for a number or address not yet in the account becomes. */
export interface NewChannelContact {
  type: 'phone' | 'email';
  value: string;
  first: string;
  last: string;
}

/**
 * Creates one contact per item (a phone or an email channel, with the entry's names), as
 * POST /v1/contact would, with prepared statements only, so a list of a thousand new numbers is
 * written in milliseconds. The caller has checked that no contact of the team has these values and
 * runs this inside its transaction.
 */
export function createChannelContacts(ctx: AppContext, teamId: number, items: readonly NewChannelContact[]): ContactRow[] {
  if (!items.length) return [];
  const now = ctx.clock.now(teamId);
  const creatorId = apiCreatorId(ctx.db, teamId);
  return items.map((it) => {
    const row = insertContact(
      ctx.db,
      teamId,
      newContactRow({
        uuid: ctx.ids.uuid(),
        phone: it.type === 'phone' ? it.value : null,
        email: it.type === 'email' ? it.value : '',
        first: it.first,
        last: it.last,
        displayName: deriveDisplayName(it.first, it.last),
        creatorId,
        now,
      }),
    );
    insertChannel(ctx.db, teamId, row.id, { channelType: it.type, channelId: it.value }, now);
    return row;
  });
}
