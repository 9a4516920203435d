import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { emailSendBody, emailSendResponse } from './schemas.js';
import { sendEmail } from './send.service.js';

export const emailRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/email/send', { schema: { tags: ['email'], body: emailSendBody, response: { 200: emailSendResponse } } }, async (req) =>
    sendEmail(app.mock, req.teamId, req.body),
  );
};
