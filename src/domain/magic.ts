/**
 * Magic recipients (control-plane spec): reserved numbers in the 1500555000X block and addresses
 * at heymarket-mock.test that take an error path with no setup call, on every send path.
 */

export type MagicBehaviour =
  | { kind: 'refuse'; message: string }
  | { kind: 'fail'; errorCode: string; errorMessage: string }
  | { kind: 'reply'; reply: 'stop' | 'echo' };

const PHONES: Record<string, MagicBehaviour> = {
  '15005550001': { kind: 'refuse', message: 'not a valid mobile number (magic recipient 15005550001)' },
  '15005550002': { kind: 'fail', errorCode: '30003', errorMessage: 'Unreachable destination handset' },
  '15005550003': { kind: 'fail', errorCode: '30007', errorMessage: 'Message filtered by the carrier' },
  '15005550004': { kind: 'reply', reply: 'stop' },
  '15005550005': { kind: 'reply', reply: 'echo' },
};

const EMAILS: Record<string, MagicBehaviour> = {
  invalid: { kind: 'refuse', message: 'not a deliverable address (magic recipient invalid@heymarket-mock.test)' },
  bounce: { kind: 'fail', errorCode: '550', errorMessage: 'Mailbox unavailable' },
  stop: { kind: 'reply', reply: 'stop' },
  echo: { kind: 'reply', reply: 'echo' },
};

export const MAGIC_DOMAIN = 'heymarket-mock.test';

/** What a recipient (phone digits or email address) does, or null for an ordinary recipient. */
export function magicRecipient(recipient: string): MagicBehaviour | null {
  if (PHONES[recipient]) return PHONES[recipient];
  const at = recipient.lastIndexOf('@');
  if (at > 0 && recipient.slice(at + 1).toLowerCase() === MAGIC_DOMAIN) return EMAILS[recipient.slice(0, at).toLowerCase()] ?? null;
  return null;
}

/** The text a replying magic recipient answers with. */
export function magicReply(reply: 'stop' | 'echo', received: string): string {
  return reply === 'stop' ? 'STOP' : `Re: ${received}`;
}
