import type { AppContext } from '../../context.js';
import { contactByPhone, createContact } from './service.js';
import { channelsOfContacts, contactIdsByChannel, getContact, getContactsByIds, type ContactRow } from './store.js';

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
