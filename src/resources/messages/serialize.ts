import { toIso } from '../../domain/time.js';
import { UNSET_INT } from '../../wire/unset.js';
import type { ConversationJson } from '../conversations/serialize.js';
import type { MessageRow } from './store.js';

/** Row → Message, the generated shape (messages.md), with its conversation embedded. */
export function serializeMessage(m: MessageRow, conversation: ConversationJson) {
  return {
    id: m.id,
    author: m.author,
    broadcast_id: m.broadcastId ?? UNSET_INT,
    conversation,
    custom: m.surveyId !== null ? { data: [m.surveyId], type: 'survey' } : { data: [], type: '' },
    date: toIso(m.created),
    flagged: false,
    link_url: '',
    local_id: m.localId ?? '',
    media: m.mediaUrl,
    phone: m.channel === 'email' ? '' : m.target,
    status: m.status,
    super: 0,
    support: false,
    target: m.target,
    text: m.text,
    type: m.type,
    updated: toIso(m.updated),
    user: m.userId ?? UNSET_INT,
  };
}
