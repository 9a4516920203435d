import type { z } from 'zod';
import type { inbox } from './schemas.js';
import type { InboxWithMembers } from './store.js';

/**
 * Row → Inbox. Widget settings are not stored (no endpoint changes them): every inbox answers the
 * same neutral defaults, named after the inbox. Numbers never carry '+'; an email inbox has no
 * numbers at all.
 */
export function serializeInbox(r: InboxWithMembers): z.output<typeof inbox> {
  const sms = r.kind === 'sms';
  const phone = sms ? r.phone : '';
  return {
    id: r.id,
    name: r.name,
    team: r.teamId,
    members: r.memberIds,
    phones: sms ? r.phones : [],
    phone,
    auto_assignable: r.autoAssignable,
    forward_number: r.forwardNumber,
    widget_code: r.widgetCode,
    widget_settings: {
      background_color: '#FFFFFF',
      button_color: '#1F7AE0',
      fab_background_color: '#1F7AE0',
      fab_text_color: '#FFFFFF',
      message: 'Hi! How can we help you?',
      name: r.name,
      phone,
      position: 0,
      preview_enabled: false,
      title_background_color: '#1F7AE0',
      title_text_color: '#FFFFFF',
      tos: '',
    },
    allowed_domains: r.allowedDomains,
    invited: [],
    bco_chats: false,
    op: 'create',
    rev: r.rev,
  };
}
