import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bodyOrEmpty, countString } from '../../wire/primitives.js';
import * as conversations from '../conversations/store.js';
import { noSuchInbox } from '../inboxes/errors.js';
import { getInbox } from '../inboxes/store.js';
import { presentMessages } from './present.js';
import { historyQuery, listAllBody, message, sendBody, sendResponse } from './schemas.js';
import { resolveSendRequest, sendMessage } from './send.service.js';
import * as store from './store.js';

const tags = ['messages'];

/** The X-Heymarket-Mock-Warning of a replay whose request differs from the first one (ASCII only: a header). */
const replayWarning = (localId: string) =>
  `local_id ${JSON.stringify(localId).replace(/[^\x20-\x7e]/g, '?')} was first used for a different send (recipient, content or options differ); this is the first send's answer, replayed, and nothing was sent`;
/** GET /v1/messages returns up to 50 (doc). */
const HISTORY = 50;
const PAGE = 30;

export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.mock;
  const { db } = ctx;

  app.post('/v1/message/send', { schema: { tags, body: sendBody, response: { 200: sendResponse } } }, async (req, reply) => {
    const send = resolveSendRequest(ctx, req.teamId, req.body);
    // Issue #8.13: a local_id reused for a different send still replays the first answer, but says so.
    const onReplayMismatch = (localId: string) => {
      reply.header('X-Heymarket-Mock-Warning', replayWarning(localId));
      req.log.warn({ request_id: req.id, team_id: req.teamId, local_id: localId }, `local_id ${JSON.stringify(localId)} reused with a different recipient or content: replayed the first answer, sent nothing`);
    };
    return sendMessage(ctx, req.teamId, send, { onReplayMismatch });
  });

  // The phone conversation of an inbox, newest first, before `timestamp` (Unix seconds) when given.
  app.get('/v1/messages', { schema: { tags, querystring: historyQuery, response: { 200: z.array(message) } } }, async (req) => {
    const { phoneNumber, inboxID, timestamp } = req.query;
    if (!getInbox(db, req.teamId, inboxID)) throw noSuchInbox('inboxID', inboxID);
    const conv = conversations.findByTarget(db, req.teamId, inboxID, 'sms', phoneNumber);
    if (!conv) return [];
    const rows = store.conversationHistory(db, req.teamId, conv.id, timestamp === undefined ? undefined : timestamp * 1000, HISTORY);
    return presentMessages(ctx, req.teamId, rows);
  });

  const query = (b: z.output<typeof listAllBody>) => {
    const cursor = b.created_at ?? b.date;
    const limit = b.limit ?? PAGE;
    return {
      cursor: cursor === undefined ? undefined : Date.parse(cursor),
      order: b.order === 'updated_at' ? ('updated' as const) : ('created' as const),
      ascending: b.ascending ?? false,
      limit,
      offset: (b.page ?? 0) * limit,
      exactPage: b.page !== undefined,
    };
  };

  // Gap M9: an empty body lists the most recent messages; created_at (or date) is the cursor.
  app.post('/v1/messages/all', { schema: { tags, body: bodyOrEmpty(listAllBody), response: { 200: z.array(message) } } }, async (req) =>
    presentMessages(ctx, req.teamId, store.listMessages(db, req.teamId, query(req.body))),
  );

  app.post('/v1/messages/all/count', { schema: { tags, body: bodyOrEmpty(listAllBody), response: { 200: countString } } }, async (req) =>
    String(store.countMessages(db, req.teamId, query(req.body))),
  );
};
