// Target families of POST /v1/message/send (guides/send-message): individual (phone_number or
// chat_id), list broadcast (list_id + local_id), group MMS (targets); private notes go into an
// existing conversation. Pure: decides which family a request names, or why it is invalid.

export interface TargetFields {
  phone_number?: string;
  chat_id?: number;
  list_id?: number;
  targets?: string[];
  local_id?: string;
  private?: boolean;
}

export type Family =
  | { kind: 'phone'; phone: string }
  | { kind: 'chat'; chatId: number }
  | { kind: 'list'; listId: number; localId: string }
  | { kind: 'group'; targets: string[] };

export interface FamilyProblem {
  field: string;
  message: string;
}

/** Group MMS needs at least two numbers; carriers cap group size, the mock at 10 (docs/decisions.md). */
export const GROUP_MIN = 2;
export const GROUP_MAX = 10;

export function resolveFamily(f: TargetFields): Family | FamilyProblem {
  if (f.phone_number !== undefined && f.chat_id !== undefined) {
    return { field: 'chat_id', message: 'phone_number and chat_id are mutually exclusive: send to a number or into a conversation, not both' };
  }
  const named = [
    f.phone_number !== undefined || f.chat_id !== undefined ? 'individual (phone_number or chat_id)' : undefined,
    f.list_id !== undefined ? 'list broadcast (list_id)' : undefined,
    f.targets !== undefined ? 'group MMS (targets)' : undefined,
  ].filter((x): x is string => x !== undefined);
  if (named.length === 0) {
    return { field: 'phone_number', message: 'name one target family: phone_number or chat_id, list_id with local_id, or targets' };
  }
  if (named.length > 1) {
    return { field: f.list_id !== undefined ? 'list_id' : 'targets', message: `pick one target family per send, not ${named.join(' and ')}` };
  }
  if (f.private && (f.list_id !== undefined || f.targets !== undefined)) {
    return { field: 'private', message: 'private notes go into one existing conversation: use chat_id or phone_number' };
  }
  if (f.phone_number !== undefined) return { kind: 'phone', phone: f.phone_number };
  if (f.chat_id !== undefined) return { kind: 'chat', chatId: f.chat_id };
  if (f.list_id !== undefined) {
    if (!f.local_id) return { field: 'local_id', message: 'local_id is required with list_id: a unique id per broadcast, so a retry does not send twice' };
    return { kind: 'list', listId: f.list_id, localId: f.local_id };
  }
  const targets = groupTargets(f.targets!);
  return isProblem(targets) ? targets : { kind: 'group', targets };
}

/** A group's numbers, de-duplicated and sorted, or why they cannot form a group MMS. */
export function groupTargets(numbers: string[]): string[] | FamilyProblem {
  const targets = [...new Set(numbers)].sort();
  if (targets.length < GROUP_MIN) return { field: 'targets', message: `group MMS needs at least ${GROUP_MIN} different numbers (use phone_number for one)` };
  if (targets.length > GROUP_MAX) return { field: 'targets', message: `group MMS allows at most ${GROUP_MAX} numbers` };
  return targets;
}

export const isProblem = <T>(x: T | FamilyProblem): x is FamilyProblem =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && 'field' in x && 'message' in x;

/** The key of a group conversation: its sorted numbers joined with commas. */
export const groupKey = (targets: string[]) => [...targets].sort().join(',');
