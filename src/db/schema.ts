import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

// Every table but `teams` carries team_id, and every store query filters on it.
// Timestamps are epoch milliseconds (integers); serialize.ts turns them into RFC 3339.

export const teams = sqliteTable('teams', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  listSize: integer('list_size').notNull(),
  created: integer('created').notNull(),
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
    inboxId: integer('inbox_id').notNull().references(() => inboxes.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.memberId] }), index('inbox_members_member').on(t.memberId)],
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
    contactId: integer('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tagId] }), index('contact_tags_tag').on(t.tagId)],
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
