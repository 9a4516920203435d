import { z } from 'zod';

// Email recipients (doc: messages/send-email): each `targets` element starts with "to:" or
// "cc:" and holds one or more comma-separated addresses. A new email may have at most 10
// recipients including CC (help centre; gap M13).

export const MAX_EMAIL_RECIPIENTS = 10;

export interface EmailRecipients {
  to: string[];
  cc: string[];
  /** Which targets element listed each address (lower-cased), to name it in errors. */
  origin: Record<string, number>;
}

export interface EmailTargetProblem {
  index: number | undefined;
  message: string;
}

const address = z.email();

export function parseEmailTargets(targets: string[]): EmailRecipients | EmailTargetProblem {
  const out: EmailRecipients = { to: [], cc: [], origin: {} };
  for (const [index, raw] of targets.entries()) {
    const m = /^\s*(to|cc)\s*:(.*)$/i.exec(raw);
    if (!m) return { index, message: `must start with "to:" or "cc:" (e.g. "to:alice@example.com,bob@example.com"), got "${raw}"` };
    const kind = m[1]!.toLowerCase() as 'to' | 'cc';
    const addresses = m[2]!.split(',').map((a) => a.trim());
    for (const a of addresses) {
      if (!address.safeParse(a).success) return { index, message: `"${a}" is not a valid email address` };
      out[kind].push(a);
      out.origin[a.toLowerCase()] ??= index;
    }
  }
  const all = [...out.to, ...out.cc].map((a) => a.toLowerCase());
  if (!out.to.length) return { index: undefined, message: 'a new email needs at least one "to:" address' };
  if (new Set(all).size !== all.length) return { index: undefined, message: 'each address may appear once across to: and cc:' };
  if (all.length > MAX_EMAIL_RECIPIENTS) {
    return { index: undefined, message: `a new email may have at most ${MAX_EMAIL_RECIPIENTS} recipients including CC (got ${all.length}); use a broadcast for more` };
  }
  return out;
}

export const isTargetProblem = (x: EmailRecipients | EmailTargetProblem): x is EmailTargetProblem => 'message' in x;
