import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../core/errors.js';
import { bodyOrEmpty } from '../../wire/primitives.js';
import { memberships, team, usersGetBody, usersGetQuery, usersUpdateBody } from './schemas.js';
import { serializeTeam, serializeTeamUser } from './serialize.js';
import { updateUsers } from './service.js';
import * as store from './store.js';

export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.mock;

  app.get('/v1/team', { schema: { tags: ['team'], response: { 200: team } } }, async (req) => {
    const row = store.getTeam(db, req.teamId);
    if (!row) throw notFound(`team ${req.teamId} no longer exists`);
    return serializeTeam(row, store.listMembers(db, req.teamId));
  });

  // A GET with a documented JSON body (registerJsonBody lets GET carry one; absent means {}).
  // Gap U3: the query forms are accepted too, and every given value is matched (phone OR email).
  // Gap U4 (spirit): with no phone and no email at all, every member of the team is returned.
  app.get(
    '/v1/users/get',
    {
      schema: {
        tags: ['team'],
        description:
          'Looks up team members by phone and/or email. Documented as a GET carrying a JSON body ' +
          '`{"phone": ["14155551234"], "email": ["a@example.com"]}` (both optional arrays); the same ' +
          "filters are accepted as query parameters (phone, phone[], email, email[]). Phones are E.164 digits without '+'; " +
          'emails match case-insensitively. A member matching any value is returned once. With no filter at all, every member.',
        querystring: usersGetQuery,
        body: usersGetBody,
        response: { 200: memberships },
      },
    },
    async (req) => {
      const b = req.body;
      const q = req.query;
      const phones = [...(b.phone ?? []), ...(q.phone ?? []), ...(q['phone[]'] ?? [])];
      const emails = [...(b.email ?? []), ...(q.email ?? []), ...(q['email[]'] ?? [])];
      const rows = phones.length || emails.length ? store.findMembers(db, req.teamId, phones, emails) : store.listMembers(db, req.teamId);
      return { memberships: rows.map(serializeTeamUser) };
    },
  );

  // Rule #36 (one transaction, a bad element changes nothing) and decision R1a: see updateUsers.
  app.post(
    '/v1/users/update',
    { schema: { tags: ['team'], body: bodyOrEmpty(usersUpdateBody), response: { 200: memberships } } },
    async (req) => {
      const rows = updateUsers(app.mock, req.teamId, req.body.users);
      return { memberships: rows.map(serializeTeamUser) };
    },
  );
};
