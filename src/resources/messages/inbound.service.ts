import type { AppContext } from '../../context.js';
import { badDataAt } from '../../core/errors.js';
import { inTransaction } from '../../db/open.js';
import { optKeyword } from '../../domain/keywords.js';
import { magicRecipient, magicReply } from '../../domain/magic.js';
import { e164Problem } from '../../domain/phone.js';
import { findOrCreateByEmail, findOrCreateByPhone } from '../contacts/find-or-create.js';
import { setStatus } from '../contacts/service.js';
import * as conversations from '../conversations/store.js';
import { findOrCreateSmsThread, newEmailThread } from '../conversations/threads.js';
import { recordEvent } from '../events/store.js';
import { noSuchInbox } from '../inboxes/errors.js';
import { getInbox } from '../inboxes/store.js';
import { emailAddress } from '../../wire/primitives.js';
import { presentMessages } from './present.js';
import * as store from './store.js';

// A customer writes to an inbox (POST /__mock/inbound, and the magic recipients' replies): the
// same find-or-create contact and conversation as the send paths, the message stored as inbound,
// message_recieved fired, opt-out/opt-in keywords applied. One transaction.

export interface InboundInput {
  inbox_id: number;
  from: string;
  text?: string | undefined;
  media_url?: string | undefined;
  subject?: string | undefined;
}

export interface InboundResult {
  status: 'stored' | 'blocked';
  message_id: number | null;
  conversation_id: number | null;
  contact_id: number | null;
  contact_uuid: string | null;
  opt: 'opted_out' | 'opted_in' | null;
}

export function receiveInbound(ctx: AppContext, teamId: number, input: InboundInput): InboundResult {
  return inTransaction(ctx.db, () => {
    const inbox = getInbox(ctx.db, teamId, input.inbox_id);
    if (!inbox) throw noSuchInbox('inbox_id', input.inbox_id);
    const text = input.text ?? '';
    const media = input.media_url ?? '';
    if (!text.trim() && !media) throw badDataAt('text', 'an inbound message needs text (or a media_url)').coded('required_field');
    if (inbox.kind === 'sms') {
      const problem = e164Problem(input.from);
      if (problem) throw badDataAt('from', `${problem} (an SMS inbox receives from a phone number)`).coded('invalid_phone');
      if (input.subject !== undefined) throw badDataAt('subject', 'only an email inbox takes a subject').coded('unknown_field');
    } else {
      if (!emailAddress.safeParse(input.from).success) throw badDataAt('from', 'must be an email address (an email inbox receives email)').coded('invalid_email');
      if (media) throw badDataAt('media_url', 'only an SMS inbox takes media (MMS)').coded('unknown_field');
    }
    const now = ctx.clock.now(teamId);
    const contact = inbox.kind === 'sms' ? findOrCreateByPhone(ctx, teamId, input.from) : findOrCreateByEmail(ctx, teamId, input.from);
    // A blocked contact's message is dropped: nothing stored, no event.
    if (contact.blocked) return { status: 'blocked', message_id: null, conversation_id: null, contact_id: null, contact_uuid: null, opt: null };

    const by = { creatorId: null, now };
    const conv =
      inbox.kind === 'sms'
        ? findOrCreateSmsThread(ctx, teamId, inbox, contact, input.from, by)
        : (conversations.findByTarget(ctx.db, teamId, inbox.id, 'email', input.from) ??
          newEmailThread(ctx, teamId, inbox, contact, [input.from], { name: input.subject ?? '', localId: null }, by));
    const msg = store.insertMessage(ctx.db, teamId, {
      conversationId: conv.id,
      inboxId: inbox.id,
      type: 'inbound',
      channel: inbox.kind === 'email' ? 'email' : media ? 'mms' : 'sms',
      text,
      mediaUrl: media,
      galleryUrl: media,
      target: input.from,
      status: 'received',
      userId: null,
      author: '',
      localId: null,
      created: now,
      updated: now,
    });
    // Reopened if closed, unread, and its last inbound is now.
    conversations.updateConversation(ctx.db, teamId, conv.id, { status: 'open', read: false, lastInbound: now, updated: now, op: 'update' });
    recordEvent(ctx.db, teamId, 'message_recieved', presentMessages(ctx, teamId, [msg])[0]!, now);

    let opt: InboundResult['opt'] = null;
    const keyword = inbox.kind === 'sms' ? optKeyword(text) : null;
    if (keyword === 'opt_out' && !contact.unsubscribed) {
      setStatus(ctx, contact, 'unsubscribed', inbox.id);
      opt = 'opted_out';
    } else if (keyword === 'opt_in' && contact.unsubscribed) {
      setStatus(ctx, contact, 'subscribed', inbox.id);
      opt = 'opted_in';
    }
    return { status: 'stored', message_id: msg.id, conversation_id: conv.id, contact_id: contact.id, contact_uuid: contact.uuid, opt };
  });
}

/** A magic recipient answers the message it was delivered: STOP, or "Re: <text>". */
export function replyAsCustomer(ctx: AppContext, teamId: number, m: store.MessageRow, reply: 'stop' | 'echo') {
  // The target holds every recipient (a group's numbers, an email's addresses): the magic one answers.
  const recipients = m.target.split(',').map((r) => r.trim());
  const from = recipients.find((r) => magicRecipient(r)?.kind === 'reply') ?? recipients[0]!;
  receiveInbound(ctx, teamId, { inbox_id: m.inboxId, from, text: magicReply(reply, m.text) });
}
