import { z } from 'zod';
import { bodyOrEmpty, e164, emailAddress } from '../../wire/primitives.js';
import { maxItems } from '../../wire/limits.js';

// GET /v1/team, GET /v1/users/get, POST /v1/users/update (spec inboxes-team.md).

/** Gap U1: role_id 1 = admin, 4 = member (the two values the docs show). */
export const ROLE_NAMES = { 1: 'admin', 4: 'member' } as const;
export const roleId = z.literal([1, 4], { error: 'must be 1 (admin) or 4 (member)' });

export const teamMember = z.object({
  id: z.number().int().describe('Member id, usable as creator_id'),
  name: z.string().describe('first_name + " " + last_name'),
  role: z.enum(['owner', 'admin', 'member']).describe('Gap U1: "admin" for role_id 1, "member" for role_id 4'),
  email: z.string(),
});

export const team = z.object({
  id: z.number().int(),
  name: z.string(),
  list_size: z.number().int().describe('Maximum contacts allowed per list'),
  members: z.array(teamMember),
});

const timestamp = z.iso.datetime();

/** Request limits (README "Request limits"): values of one users/get filter, users of one update. */
export const MAX_USER_FILTER = 1000;
export const MAX_USER_UPDATES = 1000;

/** TeamUser (membership) object. */
export const teamUser = z.object({
  id: z.number().int().describe('Membership id (used as member/user id)'),
  phone: z.string(),
  name: z.string(),
  email: z.string(),
  role_id: z.number().int(),
  team_id: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
  user_created_at: timestamp,
  user_updated_at: timestamp,
});

export const memberships = z.object({ memberships: z.array(teamUser) });

/** Query values arrive as a string (one) or an array (repeated); both become an array. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), maxItems(z.array(item), MAX_USER_FILTER).optional());

/** Gap U3: the query forms of GET /v1/users/get (?phone=..&phone=.., ?phone[]=.., ?email=..). */
export const usersGetQuery = z.object({
  phone: oneOrMany(e164).describe("Member phone, E.164 digits without '+'; repeat for several"),
  'phone[]': oneOrMany(e164).describe('Same as phone'),
  email: oneOrMany(emailAddress).describe('Member email (case-insensitive); repeat for several'),
  'email[]': oneOrMany(emailAddress).describe('Same as email'),
});

/**
 * The documented JSON body of GET /v1/users/get (a GET with a body, both filters optional; an
 * absent body is {}). A body that is not an object answers "body: must be a JSON object like ...".
 */
export const usersGetBody = bodyOrEmpty(
  z.object(
    {
      phone: maxItems(z.array(e164, { error: 'must be an array of phone numbers, e.g. ["14155551234"]' }), MAX_USER_FILTER)
        .optional()
        .describe("Member phones, E.164 digits without '+'"),
      email: maxItems(z.array(emailAddress, { error: 'must be an array of email addresses, e.g. ["a@example.com"]' }), MAX_USER_FILTER)
        .optional()
        .describe('Member emails (case-insensitive)'),
    },
    { error: 'must be a JSON object like {"phone": ["14155551234"], "email": ["a@example.com"]}' },
  ),
);

const memberId = z
  .number({ error: (iss) => (iss.input === undefined ? 'is required (the id of the member to update)' : 'must be an integer member id') })
  .int('must be an integer member id')
  .positive('must be a positive member id');

/** Gap U2: the updatable properties are first_name, last_name, role_id, email, phone. */
export const userUpdate = z.object({
  id: memberId,
  first_name: z.string().trim().min(1, 'must not be empty').max(255).optional(),
  last_name: z.string().trim().max(255).optional(),
  role_id: roleId.optional(),
  email: emailAddress.optional(),
  phone: e164.optional(),
});

export const usersUpdateBody = z.object({
  users: maxItems(
    z
      .array(userUpdate, { error: (iss) => (iss.input === undefined ? 'is required: {"users": [{"id": 1, ...}]}' : 'must be an array of users') })
      .min(1, 'must list at least one user'),
    MAX_USER_UPDATES,
  ),
});
