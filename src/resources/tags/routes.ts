import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty, idParams, ok } from '../../wire/primitives.js';
import { createTagBody, createTagResponse, listTagsBody, tag } from './schemas.js';
import { serializeTag } from './serialize.js';
import { deleteTag } from './service.js';
import * as store from './store.js';

const PAGE = 30;

export const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, ids } = app.mock;

  app.post('/v1/tag', { schema: { tags: ['tags'], body: createTagBody, response: { 200: createTagResponse } } }, async (req) => {
    const row = store.createTag(db, req.teamId, { uuid: ids.uuid(), tag: req.body.tag, color: req.body.color ?? '' }, clock.now(req.teamId));
    return { id: row.id, rev: row.rev, uuid: row.uuid };
  });

  app.get('/v1/tag/:id', { schema: { tags: ['tags'], params: idParams, response: { 200: tag } } }, async (req) => {
    const row = store.getTag(db, req.teamId, req.params.id);
    if (!row) throw notFound(`no tag with id ${req.params.id}`, 'id');
    return serializeTag(row);
  });

  app.post('/v1/tags', { schema: { tags: ['tags'], body: bodyOrEmpty(listTagsBody), response: { 200: z.array(tag) } } }, async (req) => {
    const before = req.body.date ? Date.parse(req.body.date) : undefined;
    return store.listTags(db, req.teamId, before, req.body.limit ?? PAGE).map(serializeTag);
  });

  app.delete('/v1/tag/:id', { schema: { tags: ['tags'], params: idParams, response: { 200: ok } } }, async (req) => {
    deleteTag(app.mock, req.teamId, req.params.id);
    return 'ok' as const;
  });
};
