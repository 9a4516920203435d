import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { echoItem } from '../../wire/echo.js';
import { bodyOrEmpty, countString, idParams, ok, success } from '../../wire/primitives.js';
import * as schemas from './schemas.js';
import { serializeStatus } from './serialize.js';
import * as service from './service.js';
import * as store from './store.js';

/** Default page size of the date-cursor list (doc: 30 per page). */
const PAGE = 30;
const tags = ['contacts v1'];

export const contactV1Routes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  const { db } = ctx;

  const load = (teamId: number, id: number) => {
    const row = store.getContact(db, teamId, id);
    if (!row) throw notFound(`no contact with id ${id}`, 'id');
    return row;
  };
  const present = (teamId: number, row: store.ContactRow) => service.presentContacts(ctx, teamId, [row])[0]!;

  app.post(
    '/v1/contact',
    { schema: { tags, body: schemas.contactRequestWithPhone, response: { 200: schemas.writeResponse } } },
    async (req) => {
      const row = service.createContact(ctx, req.teamId, req.body);
      return { id: row.id, rev: row.rev, uuid: row.uuid };
    },
  );

  app.get('/v1/contact/:id', { schema: { tags, params: idParams, response: { 200: schemas.contact } } }, async (req) =>
    present(req.teamId, load(req.teamId, req.params.id)),
  );

  app.put(
    '/v1/contact/:id',
    {
      schema: {
        tags,
        params: idParams,
        querystring: schemas.overwriteQuery,
        body: schemas.contactRequestWithPhone,
        response: { 200: schemas.writeResponse },
      },
    },
    async (req) => {
      const before = load(req.teamId, req.params.id);
      const row = service.updateContact(ctx, req.teamId, before, req.body, req.query.overwrite ?? false);
      return { id: row.id, rev: row.rev, uuid: row.uuid };
    },
  );

  app.delete('/v1/contact/:id', { schema: { tags, params: idParams, response: { 200: ok } } }, async (req) => {
    if (!store.deleteContact(db, req.teamId, req.params.id)) throw notFound(`no contact with id ${req.params.id}`, 'id');
    return 'ok' as const;
  });

  app.post(
    '/v1/contact/get',
    { schema: { tags, body: bodyOrEmpty(schemas.contactLookup), response: { 200: schemas.contact } } },
    async (req) => present(req.teamId, service.findContact(ctx, req.teamId, req.body)),
  );

  const query = (b: z.output<typeof schemas.contactPage>): store.ContactQuery => ({
    cursor: b.date !== undefined ? Date.parse(b.date) : undefined,
    ascending: b.ascending ?? false,
    order: b.order ?? 'updated',
    limit: b.limit ?? PAGE,
    offset: (b.page ?? 0) * (b.limit ?? PAGE),
    exactPage: b.page !== undefined,
    filter: b.filter,
    assignedTo: b.assigned,
  });

  app.post(
    '/v1/contacts',
    { schema: { tags, body: bodyOrEmpty(schemas.contactPage), response: { 200: z.array(schemas.contact) } } },
    async (req) => service.presentContacts(ctx, req.teamId, store.listContacts(db, req.teamId, query(req.body))),
  );

  app.post(
    '/v1/contacts/count',
    { schema: { tags, body: bodyOrEmpty(schemas.contactPage), response: { 200: countString } } },
    async (req) => String(store.countContacts(db, req.teamId, query(req.body))),
  );

  app.post(
    '/v1/contact/status',
    { schema: { tags, body: bodyOrEmpty(schemas.statusBody), response: { 200: schemas.statusResponse } } },
    async (req) => serializeStatus(service.findContact(ctx, req.teamId, req.body)),
  );

  app.post(
    '/v1/contact/set_status',
    { schema: { tags, body: schemas.setStatusBody, response: { 200: success } } },
    async (req) => {
      service.setStatus(ctx, service.findContact(ctx, req.teamId, req.body), req.body.status);
      return 'success' as const;
    },
  );

  app.post(
    '/v1/batch/contacts',
    {
      schema: {
        tags,
        querystring: schemas.overwriteQuery,
        body: schemas.batchBody,
        response: { 200: z.union([ok, z.array(z.record(z.string(), z.unknown()))]) },
      },
    },
    async (req) => {
      const failed = await service.batchCreate(ctx, req.teamId, req.body, req.query.overwrite ?? false);
      service.logInternalFailures(req.log, failed);
      if (!failed.length) return 'ok' as const;
      // Gap C15: the failed input items (a bounded summary when large), each with the reason it failed.
      return failed.map((f) => {
        const item = echoItem(f.item);
        return {
          ...(typeof item === 'object' && item !== null && !Array.isArray(item) ? item : { item }),
          error: f.error.message,
          field: f.error.field,
        };
      });
    },
  );
};
