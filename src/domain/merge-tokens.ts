// Merge tokens in message text and templates (doc: templates/overview): {{first_name}},
// {{last_name}} and {{custom_field_name}}. Pure: the caller supplies the values.

export interface MergeValues {
  first: string;
  last: string;
  /** Custom values keyed by field title. */
  custom: Record<string, string>;
}

const TOKEN = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** A title as a token name: case-insensitive, spaces and dashes as underscores ("Plan Tier" → plan_tier). */
const tokenName = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Replaces every {{token}}. Custom tokens match a field title (gap T3), compared as token names.
 * Unknown tokens and missing values become empty strings (gap T2), as a recipient would see them.
 */
export function renderMergeTokens(text: string, values: MergeValues): string {
  const custom = new Map(Object.entries(values.custom).map(([title, v]) => [tokenName(title), v]));
  return text.replace(TOKEN, (_, raw: string) => {
    const name = tokenName(raw);
    if (name === 'first_name') return values.first;
    if (name === 'last_name') return values.last;
    return custom.get(name) ?? '';
  });
}

/** Token names used in `text` that neither the built-ins nor the given titles define. */
export function unknownTokens(text: string, titles: string[]): string[] {
  const known = new Set(['first_name', 'last_name', ...titles.map(tokenName)]);
  return [...text.matchAll(TOKEN)].map((m) => tokenName(m[1]!)).filter((n) => !known.has(n));
}
