import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction } from '../../db/open.js';
import { createdField, createFieldsBody, fieldDefinition } from './schemas.js';
import * as store from './store.js';

const tags = ['contact fields'];

export const contactFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, clock } = app.mock;

  // The body is undocumented (gap C5): any body, or none, lists every field of the team.
  app.post('/v1/contact-fields', { schema: { tags, response: { 200: z.array(fieldDefinition) } } }, async (req) =>
    store.listFields(db, req.teamId).map((f) => ({ id: f.id, title: f.title, name: f.title })),
  );

  // Gap C6: a title that already exists is not created again; its id comes back with duplicate: true.
  app.post('/v1/contacts/fields', { schema: { tags, body: createFieldsBody, response: { 200: z.array(createdField) } } }, async (req) =>
    inTransaction(db, () =>
      req.body.map(({ title }) => {
        const existing = store.findFieldByTitle(db, req.teamId, title);
        if (existing) return { id: existing.id, title: existing.title, duplicate: true };
        const row = store.createField(db, req.teamId, title, clock.now(req.teamId));
        return { id: row.id, title: row.title, duplicate: false };
      }),
    ),
  );
};
