import type { AppContext } from '../../context.js';
import { recordEvent } from '../events/store.js';
import { presentMessages } from './present.js';
import type { MessageRow } from './store.js';

/**
 * message_sent (control-plane spec, Webhooks): fired for a message a member sends from the app
 * (POST /__mock/agent/send); messages sent through the public API, scheduled ones included, fire
 * it only with HEYMARKET_MOCK_API_SEND_EVENTS=true. Never for private notes.
 */
export function recordSent(ctx: AppContext, teamId: number, msg: MessageRow, now: number, byAgent: boolean) {
  if (msg.type !== 'outbound') return;
  if (!byAgent && !ctx.config.apiSendEvents) return;
  recordEvent(ctx.db, teamId, 'message_sent', presentMessages(ctx, teamId, [msg])[0]!, now);
}
