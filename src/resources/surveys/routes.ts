import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty, idParams } from '../../wire/primitives.js';
import { listSurveysBody, survey } from './schemas.js';
import { serializeSurvey } from './serialize.js';
import * as store from './store.js';

const PAGE = 30;
const tags = ['surveys'];

export const surveyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.mock;

  app.get('/v1/survey/:id', { schema: { tags, params: idParams, response: { 200: survey } } }, async (req) => {
    const row = store.getSurvey(db, req.teamId, req.params.id);
    if (!row) throw notFound(`no survey with id ${req.params.id}`, 'id');
    return serializeSurvey(row);
  });

  app.post('/v1/surveys', { schema: { tags, body: bodyOrEmpty(listSurveysBody), response: { 200: z.array(survey) } } }, async (req) => {
    const limit = req.body.limit ?? PAGE;
    const page = req.body.page ?? 1;
    return store.listSurveys(db, req.teamId, limit, (page - 1) * limit).map(serializeSurvey);
  });
};
