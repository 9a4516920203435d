import { z } from 'zod';
import { idParams } from '../../wire/primitives.js';

// The Team credentials object (control-plane.md, "Teams: a tenant per test run").

const secret = z.object({ secret_id: z.string(), secret_key: z.string() });

export const teamCredentials = z.object({
  id: z.number().int(),
  name: z.string(),
  api_secrets: z.array(secret).describe('JWT signing pairs: sign {iss: secret_id, iat} with secret_id||secret_key (HS256)'),
  api_keys: z.array(z.string()).describe('Legacy team API keys (Bearer, or Basic user name)'),
  members: z.array(z.object({ id: z.number().int(), first_name: z.string(), last_name: z.string(), email: z.string(), role_id: z.number().int() })),
  inboxes: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      type: z.enum(['sms', 'email']),
      phone: z.string().optional().describe('SMS inboxes: the primary number'),
      email: z.string().optional().describe('Email inboxes: the address'),
      toll_free: z.boolean().optional().describe('SMS inboxes'),
      members: z.array(z.number().int()).describe('Member ids'),
    }),
  ),
  created: z.string().describe('RFC 3339 UTC'),
});

export const newSecret = secret;
export const newApiKey = z.object({ api_key: z.string() });

export const teamParams = idParams;
export const secretParams = idParams.extend({ secret_id: z.string().min(1) });
