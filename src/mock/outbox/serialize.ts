import { extractCodes, extractLinks } from '../../domain/extract.js';
import { smsEncoding } from '../../domain/segments.js';
import { toIso } from '../../domain/time.js';
import type { OutboxEntryRow } from '../../resources/outbox/store.js';

/** Row → outbox entry (control-plane spec, Outbox). */
export function serializeOutboxEntry(r: OutboxEntryRow) {
  const both = r.subject ? `${r.subject}\n${r.text}` : r.text;
  const sms = r.channel === 'email' ? null : smsEncoding(r.text);
  return {
    id: r.id,
    message_id: r.messageId,
    conversation_id: r.conversationId,
    inbox_id: r.inboxId,
    channel: r.channel,
    from: r.from,
    to: r.to,
    cc: r.cc,
    subject: r.subject,
    text: r.text,
    media_url: r.mediaUrl,
    local_id: r.localId ?? '',
    status: r.status,
    error_code: r.errorCode,
    codes: extractCodes(both),
    links: extractLinks(both),
    segments: sms?.segments ?? null,
    encoding: sms?.encoding ?? null,
    created: toIso(r.created),
  };
}
