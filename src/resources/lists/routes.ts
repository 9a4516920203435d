import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuidFromLocalId } from '../../domain/uuid.js';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty, idParams } from '../../wire/primitives.js';
import * as schemas from './schemas.js';
import * as service from './service.js';
import * as store from './store.js';

const PAGE = 30;
const v2Tags = ['lists'];
const v1Tags = ['lists v1 (deprecated)'];

export const listRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  const { db, ids } = ctx;

  const load = (teamId: number, id: number) => {
    const row = store.getList(db, teamId, id);
    if (!row) throw notFound(`no list with id ${id}`, 'id');
    return row;
  };

  const create = (teamId: number, b: z.output<typeof schemas.createListV1Body>) => {
    const row = service.createList(ctx, teamId, {
      title: b.title,
      localId: b.local_id ?? '',
      uuid: uuidFromLocalId(b.local_id, () => ids.uuid()),
      kind: b.type === 'contacts' ? 'contacts' : 'phones',
      contacts: b.contacts,
      phones: b.phones,
      emails: b.emails,
    });
    return { id: row.id, rev: row.rev, uuid: row.uuid };
  };

  const update = (teamId: number, id: number, b: z.output<typeof schemas.updateListBody>) => {
    const row = service.updateList(ctx, teamId, load(teamId, id), b);
    return { id: row.id, rev: row.rev };
  };

  // The optional {contact_ids} body is validated by the route schema; see service.deleteList.
  const remove = (teamId: number, id: number) => {
    service.deleteList(ctx, teamId, load(teamId, id));
    return { deleted: true as const, id };
  };

  // --- v2 ----------------------------------------------------------------------------------

  app.post('/v2/lists', { schema: { tags: v2Tags, body: schemas.createListV2Body, response: { 200: schemas.createListResponse } } }, async (req) =>
    create(req.teamId, req.body),
  );

  app.put(
    '/v2/lists/:id',
    { schema: { tags: v2Tags, params: idParams, body: schemas.updateListBody, response: { 200: schemas.updateListResponse } } },
    async (req) => update(req.teamId, req.params.id, req.body),
  );

  app.delete(
    '/v2/lists/:id',
    { schema: { tags: v2Tags, params: idParams, body: bodyOrEmpty(schemas.deleteListBody), response: { 200: schemas.deleteListResponse } } },
    async (req) => remove(req.teamId, req.params.id),
  );

  // --- v1 (deprecated; shapes from a third-party client, gap L1) ----------------------------

  app.post('/v1/list', { schema: { tags: v1Tags, body: schemas.createListV1Body, response: { 200: schemas.createListResponse } } }, async (req) =>
    create(req.teamId, req.body),
  );

  app.get('/v1/list/:id', { schema: { tags: v1Tags, params: idParams, response: { 200: schemas.list } } }, async (req) =>
    service.presentLists(ctx, req.teamId, [load(req.teamId, req.params.id)])[0]!,
  );

  app.put(
    '/v1/list/:id',
    { schema: { tags: v1Tags, params: idParams, body: schemas.updateListBody, response: { 200: schemas.updateListResponse } } },
    async (req) => update(req.teamId, req.params.id, req.body),
  );

  app.delete(
    '/v1/list/:id',
    { schema: { tags: v1Tags, params: idParams, body: bodyOrEmpty(schemas.deleteListBody), response: { 200: schemas.deleteListResponse } } },
    async (req) => remove(req.teamId, req.params.id),
  );

  app.post('/v1/lists', { schema: { tags: v1Tags, body: bodyOrEmpty(schemas.listListsBody), response: { 200: z.array(schemas.list) } } }, async (req) => {
    const before = req.body.date ? Date.parse(req.body.date) : undefined;
    return service.presentLists(ctx, req.teamId, store.listLists(db, req.teamId, before, req.body.limit ?? PAGE));
  });
};
