import type { FastifyInstance } from 'fastify';
import { MAX_CONTACT_IDS, MAX_EMAILS, MAX_PHONES } from '../../../src/resources/lists/schemas.js';

// The largest valid list requests (issue #11.3), shared by test/resources/lists/lists-stall.test.ts
// and bench/list-stall.ts. Phone numbers are UK mobiles (447911...), which take libphonenumber's
// full check (North American numbers have a cheaper path), and none is in the account, so each
// number and address creates a contact: the most work a request can ask for.

/** Contacts the requests name: 2 × MAX_CONTACT_IDS with phones, written straight into the store. */
export function seedContacts(app: FastifyInstance, teamId: number, n = 2 * MAX_CONTACT_IDS): number[] {
  const db = app.mock.db.$client;
  const insert = db.prepare(
    `INSERT INTO contacts (team_id, uuid, phone, email, first, last, display_name, avatar, custom, creator_id, shared, unsubscribed, blocked,
       email_suppressions, external_id, external_ref, op, rev, created, updated)
     VALUES (?, ?, ?, '', 'Seed', '', 'Seed', '', '{}', NULL, 1, 0, 0, '[]', '', '', 'create', 1, 0, 0) RETURNING id`,
  );
  const channel = db.prepare(
    `INSERT INTO contact_channels (team_id, contact_id, channel_type, channel_id, channel_handle, info_channel, created, updated) VALUES (?, ?, 'phone', ?, '', '', 0, 0)`,
  );
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const phone = String(14155600000 + i);
      const { id } = insert.get(teamId, `5eed0000-0000-4000-8000-${String(i).padStart(12, '0')}`, phone) as { id: number };
      channel.run(teamId, id, phone);
      ids.push(id);
    }
  })();
  return ids;
}

const ukMobile = (i: number) => `4479${String(11000000 + i)}`;
const phones = (from: number, n: number) => Array.from({ length: n }, (_, i) => ukMobile(from + i));
const emails = (from: number, n: number) => Array.from({ length: n }, (_, i) => `member${from + i}@stall.example`);

export interface StallRequest {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  body: Record<string, unknown>;
}

/**
 * In order: the largest create (every array at its maximum), the largest update (replace, add and
 * remove at their maxima, the phone and email budgets shared), the largest remove, the largest
 * delete. Needs a team list_size of at least 3 × MAX_CONTACT_IDS.
 */
export function largestRequests(ids: number[], listId = 1): StallRequest[] {
  const first = ids.slice(0, MAX_CONTACT_IDS);
  const second = ids.slice(MAX_CONTACT_IDS, 2 * MAX_CONTACT_IDS);
  const third = Math.floor(MAX_PHONES / 2);
  const e3 = Math.floor(MAX_EMAILS / 2);
  return [
    {
      name: 'create',
      method: 'POST',
      url: '/v2/lists',
      body: { title: 'Stall', local_id: 'stall', type: 'contacts', contacts: first, phones: phones(0, MAX_PHONES), emails: emails(0, MAX_EMAILS) },
    },
    {
      name: 'update',
      method: 'PUT',
      url: `/v2/lists/${listId}`,
      body: {
        title: 'Stall 2',
        contacts: second,
        add_contacts: first,
        remove_contacts: ids.slice(MAX_CONTACT_IDS / 2, MAX_CONTACT_IDS / 2 + MAX_CONTACT_IDS),
        add_phones: phones(MAX_PHONES, third),
        phones: phones(MAX_PHONES + third, MAX_PHONES - 2 * Math.floor(third / 2) - third),
        remove_phones: phones(0, 2 * Math.floor(third / 2)),
        add_emails: emails(MAX_EMAILS, e3),
        emails: emails(MAX_EMAILS + e3, MAX_EMAILS - e3 - Math.floor(e3 / 2) * 2),
        remove_emails: emails(0, Math.floor(e3 / 2) * 2),
      },
    },
    {
      name: 'remove',
      method: 'PUT',
      url: `/v2/lists/${listId}`,
      body: { remove_contacts: second, remove_phones: phones(MAX_PHONES, MAX_PHONES), remove_emails: emails(MAX_EMAILS, MAX_EMAILS) },
    },
    { name: 'delete', method: 'DELETE', url: `/v2/lists/${listId}`, body: { contact_ids: first } },
  ];
}
