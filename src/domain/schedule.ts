// Pure rules of POST/PUT /v1/schedule (rule 29, gaps D2/D3): when a message may be scheduled and
// which recipients it names. No I/O; time comes in as an argument.

import { toIso } from './time.js';
import { groupTargets, isProblem, type FamilyProblem } from './targets.js';

export type Problem = FamilyProblem;

/** Scheduled sends must be at least this far ahead (doc). */
export const MIN_LEAD_MS = 15 * 60_000;
const QUARTER_MS = 15 * 60_000;

/**
 * execute_at (already known to be RFC 3339) → epoch ms, or the rule it breaks: not in the past,
 * at least 15 minutes ahead (exactly 15 is fine), on a quarter hour, with zero seconds and
 * sub-seconds (D2). Alignment is checked on the instant, so any real UTC offset works.
 */
export function executeAtProblem(value: string, now: number): { ms: number } | Problem {
  const ms = Date.parse(value);
  const field = 'execute_at';
  if (Number.isNaN(ms)) return { field, message: `execute_at: ${value} is not a valid date-time` };
  if (ms < now) {
    return { field, message: `execute_at: ${value} is in the past (now is ${toIso(now)}); schedule at least 15 minutes ahead` };
  }
  if (ms - now < MIN_LEAD_MS) {
    const minutes = Math.floor((ms - now) / 60_000);
    return {
      field,
      message: `execute_at: ${value} is only ${minutes} min ${Math.round(((ms - now) % 60_000) / 1000)} s ahead; it must be at least 15 minutes after now (${toIso(now)}), i.e. ${toIso(now + MIN_LEAD_MS)} or later`,
    };
  }
  if (ms % 60_000 !== 0) {
    return { field, message: `execute_at: ${value} has non-zero seconds; seconds and fractions must be :00 (e.g. ${toIso(ms - (ms % 60_000))})` };
  }
  if (ms % QUARTER_MS !== 0) {
    const minute = new Date(ms).getUTCMinutes();
    return { field, message: `execute_at: ${value} is at minute :${String(minute).padStart(2, '0')} (UTC); minutes must be :00, :15, :30 or :45` };
  }
  return { ms };
}

export interface TargetFields {
  phone_number?: string;
  conversation_id?: number;
  list_id?: number;
  targets?: string[];
  content: { to?: string };
}

export type ScheduleTarget =
  | { kind: 'phone'; phone: string }
  | { kind: 'conversation'; conversationId: number }
  | { kind: 'list'; listId: number }
  | { kind: 'group'; targets: string[] };

const FAMILIES = ['phone_number', 'conversation_id', 'list_id', 'targets'] as const;

/** Exactly one of phone_number, conversation_id, list_id, targets (D3: targets are E.164 strings). */
export function targetOf(b: TargetFields): ScheduleTarget | Problem {
  const named = FAMILIES.filter((f) => b[f] !== undefined);
  if (named.length === 0) {
    const hint = b.content.to !== undefined ? ' (content.to alone does not name the recipient: use phone_number)' : '';
    return { field: 'phone_number', message: `name one target family: phone_number, conversation_id, list_id or targets${hint}` };
  }
  if (named.length > 1) {
    return { field: named[1]!, message: `${named[1]}: pick one target family, not ${named.join(' and ')}` };
  }
  let target: ScheduleTarget;
  if (b.phone_number !== undefined) target = { kind: 'phone', phone: b.phone_number };
  else if (b.conversation_id !== undefined) target = { kind: 'conversation', conversationId: b.conversation_id };
  else if (b.list_id !== undefined) target = { kind: 'list', listId: b.list_id };
  else {
    const targets = groupTargets(b.targets!);
    if (isProblem(targets)) return { field: targets.field, message: `targets: ${targets.message}` };
    target = { kind: 'group', targets };
  }
  // content.to is the recipient number of the Scheduled object: when given it must be phone_number.
  if (b.content.to !== undefined && (target.kind !== 'phone' || target.phone !== b.content.to)) {
    const why = target.kind === 'phone' ? `phone_number is ${target.phone}` : `this schedule targets ${named[0]}`;
    return { field: 'content.to', message: `content.to: ${b.content.to} is not the recipient (${why}); leave content.to out or make it equal phone_number` };
  }
  return target;
}
