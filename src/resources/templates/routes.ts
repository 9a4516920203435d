import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GalleryEntry } from '../../db/schema.js';
import { uuidFromLocalId } from '../../domain/uuid.js';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty, idParams, ok } from '../../wire/primitives.js';
import { apiCreatorId } from '../team/store.js';
import { createTemplateResponse, listTemplatesBody, template, templateBody, updateTemplateResponse } from './schemas.js';
import { serializeTemplate } from './serialize.js';
import * as store from './store.js';

const PAGE = 30;
const tags = ['templates'];

/** Drops keys the client did not send, so the stored gallery holds only what was given. */
const gallery = (entries: GalleryEntry[]): GalleryEntry[] =>
  entries.map((g) => Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined)) as GalleryEntry);

export const templateRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock, ids } = app.mock;

  const load = (teamId: number, id: number) => {
    const row = store.getTemplate(db, teamId, id);
    if (!row) throw notFound(`no template with id ${id}`, 'id');
    return row;
  };

  app.post('/v1/template', { schema: { tags, body: templateBody, response: { 200: createTemplateResponse } } }, async (req) => {
    const b = req.body;
    const row = store.createTemplate(
      db,
      req.teamId,
      {
        uuid: uuidFromLocalId(b.local_id, () => ids.uuid()),
        name: b.title,
        localId: b.local_id ?? '',
        text: b.content.text,
        gallery: gallery(b.content.gallery ?? []),
        creatorId: apiCreatorId(db, req.teamId),
        archived: b.archived ?? false,
      },
      clock.now(req.teamId),
    );
    return { id: row.id, rev: row.rev, uuid: row.uuid };
  });

  app.get('/v1/template/:id', { schema: { tags, params: idParams, response: { 200: template } } }, async (req) =>
    serializeTemplate(load(req.teamId, req.params.id)),
  );

  // Same body as create; title and content.text required (3p). Omitted local_id, archived and
  // content.gallery keep their stored values; `"gallery": []` removes the images.
  app.put(
    '/v1/template/:id',
    { schema: { tags, params: idParams, body: templateBody, response: { 200: updateTemplateResponse } } },
    async (req) => {
      const before = load(req.teamId, req.params.id);
      const b = req.body;
      const patch: store.TemplatePatch = { name: b.title, text: b.content.text };
      if (b.content.gallery !== undefined) patch.gallery = gallery(b.content.gallery);
      if (b.local_id !== undefined) patch.localId = b.local_id;
      if (b.archived !== undefined) patch.archived = b.archived;
      const row = store.updateTemplate(db, before, patch, clock.now(req.teamId));
      return { id: row.id, rev: row.rev };
    },
  );

  app.delete('/v1/template/:id', { schema: { tags, params: idParams, response: { 200: ok } } }, async (req) => {
    if (!store.deleteTemplate(db, req.teamId, req.params.id)) throw notFound(`no template with id ${req.params.id}`, 'id');
    return 'ok' as const;
  });

  app.post('/v1/templates', { schema: { tags, body: bodyOrEmpty(listTemplatesBody), response: { 200: z.array(template) } } }, async (req) => {
    const before = req.body.date ? Date.parse(req.body.date) : undefined;
    return store.listTemplates(db, req.teamId, before, req.body.limit ?? PAGE).map(serializeTemplate);
  });
};
