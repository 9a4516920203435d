import { z } from 'zod';
import { parseDuration } from '../../domain/duration.js';
import { rfc3339 } from '../../wire/primitives.js';

export const clockState = z.object({
  now: z.string().describe('The team clock, RFC 3339 UTC with milliseconds'),
  frozen: z.boolean(),
  offset_ms: z.number().int().describe('How far the team clock is from real time (ms)'),
});

const duration = z
  .string()
  .superRefine((v, ctx) => {
    const r = parseDuration(v);
    if ('problem' in r) ctx.addIssue({ code: 'custom', message: r.problem, params: { error_code: 'invalid_format' } });
  })
  .transform((v) => (parseDuration(v) as { ms: number }).ms);

export const clockChange = z
  .strictObject({
    advance: duration.optional().describe('Move forward by a duration: "90s", "15m", "2h", "1d", "1h30m"'),
    advance_ms: z.number().int().min(0).max(10 * 365 * 86_400_000).optional().describe('Move forward by N milliseconds'),
    set: rfc3339.optional().describe('Jump to this instant (may be in the past; going back runs nothing)'),
    freeze: z.boolean().optional().describe('true stops the clock where it stands; false lets it run again'),
  })
  .superRefine((b, ctx) => {
    if (b.advance !== undefined && b.advance_ms !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['advance_ms'], message: 'give advance or advance_ms, not both', params: { error_code: 'invalid_value' } });
    }
    if (Object.values(b).every((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one of advance, advance_ms, set, freeze', params: { error_code: 'required_field' } });
    }
  });
