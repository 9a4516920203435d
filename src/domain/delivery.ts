import { magicRecipient } from './magic.js';

/** The next automatic delivery status of an outbound message (control-plane spec, carrier). */
export interface DeliveryStep {
  status: 'delivered' | 'failed';
  errorCode?: string;
  errorMessage?: string;
  /** A magic recipient that answers once its message is delivered. */
  reply?: 'stop' | 'echo';
}

/**
 * What happens to a message once it is handed to the carrier: a magic recipient's error path
 * (in both modes: they need no setup call, decision K6), else delivered in auto mode, else
 * nothing until a test moves it.
 */
export function nextDeliveryStep(recipients: readonly string[], mode: 'auto' | 'manual'): DeliveryStep | undefined {
  let reply: DeliveryStep['reply'];
  for (const r of recipients) {
    const magic = magicRecipient(r);
    if (magic?.kind === 'fail') return { status: 'failed', errorCode: magic.errorCode, errorMessage: magic.errorMessage };
    if (magic?.kind === 'reply') reply ??= magic.reply;
  }
  if (reply) return { status: 'delivered', reply };
  return mode === 'auto' ? { status: 'delivered' } : undefined;
}

/** Why a hand-made status change is refused (POST /__mock/messages/{id}/status), or undefined. */
export function statusMoveProblem(
  m: { id: number; type: 'outbound' | 'inbound' | 'note'; status: string },
  to: { status: string; errorField?: 'error_code' | 'error_message' | undefined },
): { field: 'status' | 'error_code' | 'error_message'; message: string } | undefined {
  if (m.type === 'inbound') return { field: 'status', message: `message ${m.id} is inbound; only outbound messages have a delivery status` };
  if (m.type === 'note') return { field: 'status', message: `message ${m.id} is a private note; notes are never delivered` };
  if ((m.status === 'delivered' || m.status === 'failed') && m.status !== to.status) {
    return { field: 'status', message: `message ${m.id} is already ${m.status}, a final state; it cannot move to ${to.status}` };
  }
  if (to.status !== 'failed' && to.errorField) return { field: to.errorField, message: 'only a failed message has an error' };
  return undefined;
}
