import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { echoItem } from '../../wire/echo.js';
import { bodyOrEmpty, ok } from '../../wire/primitives.js';
import { overwriteQuery, writeResponse } from './schemas.js';
import { serializeChannel } from './serialize.js';
import * as service from './service.js';
import * as store from './store.js';
import * as schemas from './v2.schemas.js';
import * as v2 from './v2.service.js';

const PAGE = 30;
const tags = ['contacts v2'];

export const contactV2Routes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  const { db } = ctx;
  const present = (teamId: number, rows: store.ContactRow[]) => service.presentContactsV2(ctx, teamId, rows);
  const channels = (teamId: number, contact: store.ContactRow, rows: store.ChannelRow[]) => rows.map((r) => serializeChannel(r, contact.uuid));

  app.post('/v2/contact', { schema: { tags, body: schemas.createContactV2Body, response: { 200: writeResponse } } }, async (req) => {
    const { contact_channels, ...input } = req.body;
    const row = service.createContact(ctx, req.teamId, input, contact_channels.map(v2.toChannelInsert));
    return { id: row.id, rev: row.rev, uuid: row.uuid };
  });

  app.get('/v2/contact/:contactID', { schema: { tags, params: schemas.contactIdParams, response: { 200: schemas.contactV2 } } }, async (req) =>
    present(req.teamId, [v2.loadByUuid(ctx, req.teamId, req.params.contactID)])[0]!,
  );

  // Unlike v1 update, v2 update answers with the full contact (doc-new, contacts/update-v2).
  app.put(
    '/v2/contact/:contactID',
    {
      schema: { tags, params: schemas.contactIdParams, querystring: overwriteQuery, body: schemas.updateContactV2Body, response: { 200: schemas.contactV2 } },
    },
    async (req) => {
      const before = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      const { contact_channels, ...input } = req.body;
      const row = v2.updateContactV2(ctx, req.teamId, before, input, req.query.overwrite ?? false, contact_channels);
      return present(req.teamId, [row])[0]!;
    },
  );

  app.delete('/v2/contact/:contactID', { schema: { tags, params: schemas.contactIdParams, response: { 200: ok } } }, async (req) => {
    const row = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
    store.deleteContact(db, req.teamId, row.id);
    return 'ok' as const;
  });

  app.post(
    '/v2/contacts',
    { schema: { tags, querystring: overwriteQuery, body: schemas.bulkBody, response: { 200: schemas.bulkResponse } } },
    async (req) => {
      const result = await v2.bulkUpsert(ctx, req.teamId, req.body.contacts, req.query.overwrite ?? false);
      service.logInternalFailures(req.log, result.failed);
      // As stored now (a later item may have changed an earlier one). A contact another request
      // deleted between slices is answered with its fields as written (its channels and tags are
      // gone with it); the uuid check keeps a reused id from answering another contact.
      const now = new Map(store.getContactsByIds(db, req.teamId, result.contacts.map((r) => r.id)).map((r) => [r.id, r]));
      const answer = {
        contacts: present(req.teamId, result.contacts.map((r) => (now.get(r.id)?.uuid === r.uuid ? now.get(r.id)! : r))),
        // Gap C14: each failure carries the input item (a bounded summary when large), the reason and the field.
        failed_contacts: result.failed.map((f) => ({ contact: echoItem(f.item), error: f.error.message, field: f.error.field })),
      };
      // Checking and writing a 1000-contact answer is work of its own: it gets its own turn.
      await nextTurn();
      return answer;
    },
  );

  app.delete('/v2/contacts', { schema: { tags, body: schemas.bulkDeleteBody, response: { 200: ok } } }, async (req) => {
    v2.bulkDelete(ctx, req.teamId, req.body.contact_channels[0]!.channel_ids);
    return 'ok' as const;
  });

  app.post(
    '/v2/contacts/list',
    { schema: { tags, body: bodyOrEmpty(schemas.listV2Body), response: { 200: z.array(schemas.contactV2) } } },
    async (req) => {
      const b = req.body;
      const limit = b.limit ?? PAGE;
      const rows = store.listContacts(db, req.teamId, {
        cursor: b.date !== undefined ? Date.parse(b.date) : undefined,
        ascending: b.ascending ?? false,
        order: 'updated',
        limit,
        offset: (b.page ?? 0) * limit,
        exactPage: b.page !== undefined,
      });
      return present(req.teamId, rows);
    },
  );

  app.post('/v2/contacts/search', { schema: { tags, body: schemas.searchBody, response: { 200: z.array(schemas.contactV2) } } }, async (req) =>
    present(req.teamId, v2.search(ctx, req.teamId, req.body)),
  );

  app.post(
    '/v2/contact/:contactID/channel',
    { schema: { tags, params: schemas.contactIdParams, body: schemas.channelInput, response: { 200: z.array(schemas.channel) } } },
    async (req) => {
      const contact = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      return channels(req.teamId, contact, v2.addChannel(ctx, req.teamId, contact, req.body));
    },
  );

  app.put(
    '/v2/contact/:contactID/channel',
    { schema: { tags, params: schemas.contactIdParams, body: schemas.channelInput, response: { 200: z.array(schemas.channel) } } },
    async (req) => {
      const contact = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      return channels(req.teamId, contact, v2.changeChannel(ctx, req.teamId, contact, req.body));
    },
  );

  app.get(
    '/v2/contact/:contactID/channels',
    { schema: { tags, params: schemas.contactIdParams, response: { 200: z.array(schemas.channel) } } },
    async (req) => {
      const contact = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      return channels(req.teamId, contact, store.listChannels(db, req.teamId, contact.id));
    },
  );

  // Gap C12: with two channels of one type, GET and DELETE act on the first (lowest id).
  app.get(
    '/v2/contact/:contactID/channel/:channelType',
    { schema: { tags, params: schemas.channelTypeParams, response: { 200: schemas.channel } } },
    async (req) => {
      const contact = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      const ch = store.firstChannel(db, req.teamId, contact.id, req.params.channelType);
      if (!ch) throw notFound(`the contact has no ${req.params.channelType} channel`, 'channelType');
      return serializeChannel(ch, contact.uuid);
    },
  );

  app.delete(
    '/v2/contact/:contactID/channel/:channelType',
    { schema: { tags, params: schemas.channelTypeParams, response: { 200: ok } } },
    async (req) => {
      const contact = v2.loadByUuid(ctx, req.teamId, req.params.contactID);
      v2.removeChannel(ctx, req.teamId, contact, req.params.channelType);
      return 'ok' as const;
    },
  );
};
