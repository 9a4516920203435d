/**
 * What a test usually wants out of a delivered text (control-plane spec, Outbox): the one-time
 * codes and the links. `links`: every http:// or https:// URL in order, without trailing
 * `.,;:!?)`. `codes`: every standalone run of 4 to 8 digits (not part of a longer digit run, not
 * inside a link), in order of appearance.
 */

const URL_RE = /https?:\/\/[^\s<>"']+/g;

export function extractLinks(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:!?)]+$/, '')).filter((u) => /^https?:\/\/./.test(u));
}

export function extractCodes(text: string): string[] {
  const withoutLinks = text.replace(URL_RE, (m) => ' '.repeat(m.length));
  return [...withoutLinks.matchAll(/(?<!\d)\d{4,8}(?!\d)/g)].map((m) => m[0]);
}
