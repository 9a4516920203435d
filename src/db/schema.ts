import { sql } from 'drizzle-orm';
import type { DeliveryStep } from '../domain/delivery.js';
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

// Every table but `teams` carries team_id, and every store query filters on it. Every foreign key
// column leads an index: a cascade (deleting or resetting one team) then touches only that team's rows.
// Timestamps are epoch milliseconds (integers); serialize.ts turns them into RFC 3339.

export const teams = sqliteTable('teams', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  listSize: integer('list_size').notNull(),
  created: integer('created').notNull(),
  /** How POST /__mock/teams created the team (a seed-file team): its starting state for a team reset. */
  spec: text('spec', { mode: 'json' }).$type<Record<string, unknown>>(),
});

/** API Secrets (JWT signing pairs); the docs allow two active per team. */
export const apiSecrets = sqliteTable(
  'api_secrets',
  {
    secretId: text('secret_id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    secretKey: text('secret_key').notNull(),
  },
  (t) => [index('api_secrets_team').on(t.teamId)],
);

/** Legacy team API keys (Bearer or Basic user name). */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    key: text('key').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [index('api_keys_team').on(t.teamId)],
);

export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    roleId: integer('role_id').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
    userCreated: integer('user_created').notNull(),
    userUpdated: integer('user_updated').notNull(),
  },
  (t) => [index('members_team').on(t.teamId)],
);

export const inboxes = sqliteTable(
  'inboxes',
  {
    id: integer('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** 'sms' or 'email': which send endpoint may use it. */
    kind: text('kind', { enum: ['sms', 'email'] }).notNull(),
    phone: text('phone').notNull().default(''),
    /** JSON array of every number of the inbox (E.164 digits). */
    phones: text('phones', { mode: 'json' }).$type<string[]>().notNull(),
    email: text('email'),
    tollFree: integer('toll_free', { mode: 'boolean' }).notNull().default(false),
    autoAssignable: integer('auto_assignable', { mode: 'boolean' }).notNull().default(true),
    forwardNumber: text('forward_number'),
    widgetCode: text('widget_code').notNull(),
    allowedDomains: text('allowed_domains', { mode: 'json' }).$type<string[]>().notNull(),
    rev: integer('rev').notNull().default(1),
    created: integer('created').notNull(),
  },
  (t) => [index('inboxes_team').on(t.teamId)],
);

export const inboxMembers = sqliteTable(
  'inbox_members',
  {
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    inboxId: integer('inbox_id').notNull().references(() => inboxes.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.inboxId, t.memberId] }),
    index('inbox_members_member').on(t.memberId),
    index('inbox_members_team').on(t.teamId, t.inboxId, t.memberId),
  ],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    uuid: text('uuid').notNull().unique(),
    /** Mirrors the contact's first phone channel; null when it has none (v2 email-only contacts). */
    phone: text('phone'),
    /** Mirrors the contact's first email channel; '' when it has none. */
    email: text('email').notNull().default(''),
    first: text('first').notNull().default(''),
    last: text('last').notNull().default(''),
    displayName: text('display_name').notNull().default(''),
    avatar: text('avatar').notNull().default(''),
    /** Custom field values keyed by field id (string), values strings. */
    custom: text('custom', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    creatorId: integer('creator_id'),
    assignedUserId: integer('assigned_user_id'),
    shared: integer('shared', { mode: 'boolean' }).notNull().default(true),
    unsubscribed: integer('unsubscribed', { mode: 'boolean' }).notNull().default(false),
    blocked: integer('blocked', { mode: 'boolean' }).notNull().default(false),
    emailSuppressions: text('email_suppressions', { mode: 'json' }).$type<number[]>().notNull(),
    externalId: text('external_id').notNull().default(''),
    externalRef: text('external_ref').notNull().default(''),
    op: text('op').notNull(),
    rev: integer('rev').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [
    index('contacts_team_updated').on(t.teamId, t.updated),
    // One contact per phone number within a team.
    uniqueIndex('contacts_team_phone').on(t.teamId, t.phone).where(sql`phone IS NOT NULL`),
  ],
);

export const contactChannels = sqliteTable(
  'contact_channels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    channelType: text('channel_type').notNull(),
    channelId: text('channel_id').notNull(),
    channelHandle: text('channel_handle').notNull().default(''),
    infoChannel: text('info_channel').notNull().default(''),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [
    // Search by channel value is an index lookup, never a scan; emails match case-insensitively.
    index('contact_channels_lookup').on(t.teamId, t.channelType, sql`lower(${t.channelId})`),
    index('contact_channels_contact').on(t.contactId),
  ],
);

export const tags = sqliteTable(
  'tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    uuid: text('uuid').notNull(),
    tag: text('tag').notNull(),
    color: text('color').notNull().default(''),
    rev: integer('rev').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [index('tags_team_updated').on(t.teamId, t.updated)],
);

export const contactTags = sqliteTable(
  'contact_tags',
  {
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tagId] }), index('contact_tags_tag').on(t.tagId), index('contact_tags_team').on(t.teamId)],
);

export const contactFields = sqliteTable(
  'contact_fields',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    created: integer('created').notNull(),
  },
  (t) => [uniqueIndex('contact_fields_team_title').on(t.teamId, t.title)],
);

// --- messaging ------------------------------------------------------------------------------

/**
 * A thread between the team and one contact (individual SMS/MMS, email) or a group of numbers
 * (group MMS), in one inbox. `target` is the contact's number or address, or the group's numbers
 * joined with commas; `targets` holds the group's numbers or an email thread's recipients.
 */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    inboxId: integer('inbox_id').notNull().references(() => inboxes.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** sms, mms (group threads) or email. */
    channel: text('channel', { enum: ['sms', 'mms', 'email'] }).notNull(),
    target: text('target').notNull(),
    targets: text('targets', { mode: 'json' }).$type<string[]>().notNull(),
    name: text('name').notNull().default(''),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    assignedId: integer('assigned_id'),
    creatorId: integer('creator_id'),
    read: integer('read', { mode: 'boolean' }).notNull().default(true),
    replied: integer('replied', { mode: 'boolean' }).notNull().default(false),
    localId: text('local_id'),
    lastInbound: integer('last_inbound'),
    op: text('op').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [
    index('conversations_team_updated').on(t.teamId, t.updated),
    index('conversations_lookup').on(t.teamId, t.inboxId, t.target),
    index('conversations_contact').on(t.contactId),
    // Foreign keys are looked up on every cascade: deleting an inbox (a team reset) must not scan every team's threads.
    index('conversations_inbox').on(t.inboxId),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    conversationId: integer('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    inboxId: integer('inbox_id').notNull(),
    /** outbound, inbound, or note (a private comment, never delivered). */
    type: text('type', { enum: ['outbound', 'inbound', 'note'] }).notNull(),
    channel: text('channel', { enum: ['sms', 'mms', 'email'] }).notNull(),
    text: text('text').notNull().default(''),
    rawText: text('raw_text').notNull().default(''),
    mediaUrl: text('media_url').notNull().default(''),
    galleryUrl: text('gallery_url').notNull().default(''),
    /** The recipient's number (SMS) or addresses (email), as delivered. */
    target: text('target').notNull(),
    status: text('status', { enum: ['queued', 'sent', 'delivered', 'failed', 'received'] }).notNull(),
    userId: integer('user_id'),
    author: text('author').notNull().default(''),
    localId: text('local_id'),
    broadcastId: integer('broadcast_id'),
    templateId: integer('template_id'),
    surveyId: integer('survey_id'),
    scheduleId: integer('schedule_id'),
    activityId: text('activity_id'),
    /** Why delivery failed (carrier or SMTP code, e.g. "30003", "550"), with its text. */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** When the carrier moves it on by itself (team clock), and to what: delivery progression. */
    deliverAt: integer('deliver_at'),
    deliverNext: text('deliver_next', { mode: 'json' }).$type<DeliveryStep>(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [
    index('messages_conversation').on(t.conversationId, t.created),
    index('messages_team_created').on(t.teamId, t.created),
    index('messages_team_deliver').on(t.teamId, t.deliverAt).where(sql`deliver_at IS NOT NULL`),
  ],
);


/** local_id idempotency: the first answer to a send, replayed for every repeat of that local_id. */
export const sendKeys = sqliteTable(
  'send_keys',
  {
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    /** 'message' (POST /v1/message/send) or 'email' (POST /v1/email/send). */
    scope: text('scope').notNull(),
    localId: text('local_id').notNull(),
    response: text('response', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** What the first request asked for (recipient and content, hashed): a repeat that differs is warned about. '' when not recorded. */
    fingerprint: text('fingerprint').notNull().default(''),
    created: integer('created').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.scope, t.localId] })],
);

/** What each recipient would have received, rendered: the mock's record of delivery. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['sms', 'mms', 'email'] }).notNull(),
    from: text('from').notNull(),
    to: text('to', { mode: 'json' }).$type<string[]>().notNull(),
    cc: text('cc', { mode: 'json' }).$type<string[]>().notNull(),
    subject: text('subject').notNull().default(''),
    text: text('text').notNull(),
    mediaUrl: text('media_url').notNull().default(''),
    created: integer('created').notNull(),
  },
  (t) => [index('outbox_team').on(t.teamId, t.id), index('outbox_message').on(t.messageId)],
);

export const lists = sqliteTable(
  'lists',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    uuid: text('uuid').notNull(),
    name: text('name').notNull(),
    localId: text('local_id').notNull().default(''),
    /** 'phones' (standard list) or 'contacts' (omnichannel, type "contacts"). */
    kind: text('kind', { enum: ['phones', 'contacts'] }).notNull(),
    creatorId: integer('creator_id'),
    shared: integer('shared', { mode: 'boolean' }).notNull().default(true),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    rev: integer('rev').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [
    index('lists_team_updated').on(t.teamId, t.updated),
    // local_id is '' when none was given; a given one names one list per team (createList relies on it).
    uniqueIndex('lists_team_local_id').on(t.teamId, t.localId).where(sql`local_id <> ''`),
  ],
);

/** A list entry: a contact, or a lightweight phone/email target with optional names. */
export const listMembers = sqliteTable(
  'list_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    listId: integer('list_id').notNull().references(() => lists.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    phone: text('phone'),
    email: text('email'),
    first: text('first').notNull().default(''),
    last: text('last').notNull().default(''),
  },
  (t) => [
    index('list_members_list').on(t.listId),
    index('list_members_team').on(t.teamId),
    uniqueIndex('list_members_contact').on(t.listId, t.contactId).where(sql`contact_id IS NOT NULL`),
    index('list_members_contact_id').on(t.contactId),
    uniqueIndex('list_members_phone').on(t.listId, t.phone).where(sql`phone IS NOT NULL`),
  ],
);

export const broadcasts = sqliteTable(
  'broadcasts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    listId: integer('list_id').notNull(),
    localId: text('local_id').notNull(),
    created: integer('created').notNull(),
  },
  (t) => [index('broadcasts_team').on(t.teamId)],
);

export interface GalleryEntry {
  url: string;
  original_url?: string;
  annotation_text?: string;
  annotation_position?: string;
}

export const templates = sqliteTable(
  'templates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    uuid: text('uuid').notNull(),
    name: text('name').notNull(),
    localId: text('local_id').notNull().default(''),
    text: text('text').notNull(),
    gallery: text('gallery', { mode: 'json' }).$type<GalleryEntry[]>().notNull(),
    creatorId: integer('creator_id'),
    shared: integer('shared', { mode: 'boolean' }).notNull().default(true),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    op: text('op').notNull(),
    rev: integer('rev').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [index('templates_team_updated').on(t.teamId, t.updated)],
);

export const surveys = sqliteTable(
  'surveys',
  {
    id: integer('id').primaryKey(),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    question: text('question').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  (t) => [index('surveys_team').on(t.teamId)],
);

/** The request as accepted, re-validated and sent by the scheduler when `executeAt` comes. */
export interface ScheduledRequest {
  phone_number?: string;
  conversation_id?: number;
  list_id?: number;
  targets?: string[];
  content: { text?: string; template?: number; to?: string; attachments?: Array<{ name?: string; type?: string; url: string }>; gallery?: GalleryEntry[] };
}

export const schedules = sqliteTable(
  'schedules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    inboxId: integer('inbox_id').notNull(),
    userId: integer('user_id').notNull(),
    localId: text('local_id').notNull().default(''),
    executeAt: integer('execute_at').notNull(),
    request: text('request', { mode: 'json' }).$type<ScheduledRequest>().notNull(),
    /** pending → sent or failed when its time comes. */
    state: text('state', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    messageId: integer('message_id'),
    error: text('error'),
    op: text('op').notNull(),
    rev: integer('rev').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
  },
  // The due-work runner asks per team: pending schedules of a team whose execute_at has come.
  (t) => [index('schedules_team_due').on(t.teamId, t.state, t.executeAt)],
);

/** Every event the mock emits (webhook payloads), in the same transaction as the change (GET /__mock/events). */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    created: integer('created').notNull(),
  },
  (t) => [index('events_team').on(t.teamId, t.id), index('events_team_type').on(t.teamId, t.type, t.id)],
);

/** Webhook registrations (POST /__mock/webhooks, or a seed file's `webhooks`). */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Event types it receives; null = all. */
    events: text('events', { mode: 'json' }).$type<string[] | null>(),
    token: text('token').notNull(),
    created: integer('created').notNull(),
  },
  (t) => [index('webhooks_team').on(t.teamId, t.id)],
);

export interface DeliveryAttempt {
  n: number;
  at: number;
  response_status: number | null;
  error: string | null;
  latency_ms: number;
}

/** One event to one webhook: pending until a 2xx or the last retry (GET /__mock/webhooks/deliveries). */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    webhookId: integer('webhook_id').notNull(),
    eventId: integer('event_id').notNull(),
    type: text('type').notNull(),
    url: text('url').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    attempts: text('attempts', { mode: 'json' }).$type<DeliveryAttempt[]>().notNull(),
    /** The event's event_data, kept with the delivery: the event log is trimmed on its own (HEYMARKET_MOCK_LOG_MAX). */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    nextAttemptAt: integer('next_attempt_at'),
    created: integer('created').notNull(),
  },
  (t) => [index('deliveries_team').on(t.teamId, t.id), index('deliveries_due').on(t.teamId, t.status, t.nextAttemptAt)],
);

/**
 * A whole-team operation written in slices and not finished yet (src/mock/rewrite): start-up
 * finishes or undoes it (decision R7). Not a team's data (no team_id): never in a snapshot, and it
 * outlives the team row it describes. `team` 0 is a full reset (every team).
 */
export const teamRewrites = sqliteTable('team_rewrites', {
  team: integer('team').primaryKey(),
  kind: text('kind', { enum: ['create', 'reset', 'restore', 'delete', 'reset-all'] }).notNull(),
  started: integer('started').notNull(),
});

/**
 * The big parts of a created team's starting state (teams.spec holds the rest): its contacts and
 * `state` rows, a JSON document of a bounded number of items per part, so a team reset reads and
 * parses its spec in slices (decision R7). Not a team's data (no team_id): never in a snapshot.
 */
export const teamSpecParts = sqliteTable(
  'team_spec_parts',
  {
    team: integer('team')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    part: text('part', { mode: 'json' }).$type<{ contacts?: unknown[]; table?: string; rows?: unknown[] }>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.team, t.seq] })],
);
