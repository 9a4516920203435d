import type { FastifyInstance } from 'fastify';
import { contactFieldRoutes } from './contact-fields/routes.js';
import { contactV1Routes } from './contacts/v1.routes.js';
import { contactV2Routes } from './contacts/v2.routes.js';
import { conversationRoutes } from './conversations/routes.js';
import { emailRoutes } from './email/routes.js';
import { inboxRoutes } from './inboxes/routes.js';
import { messageRoutes } from './messages/routes.js';
import { listRoutes } from './lists/routes.js';
import { scheduleRoutes } from './schedules/routes.js';
import { surveyRoutes } from './surveys/routes.js';
import { tagRoutes } from './tags/routes.js';
import { teamRoutes } from './team/routes.js';
import { templateRoutes } from './templates/routes.js';

/**
 * The route table: every resource plugin of the public API, registered inside the authenticated
 * scope. Each plugin's routes are listed in its routes.ts; docs/coverage.md maps them to the spec.
 */
export async function registerResources(app: FastifyInstance) {
  await app.register(tagRoutes);
  await app.register(inboxRoutes);
  await app.register(teamRoutes);
  await app.register(contactV1Routes);
  await app.register(contactV2Routes);
  await app.register(contactFieldRoutes);
  await app.register(conversationRoutes);
  await app.register(templateRoutes);
  await app.register(surveyRoutes);
  await app.register(listRoutes);
  await app.register(messageRoutes);
  await app.register(emailRoutes);
  await app.register(scheduleRoutes);
}
