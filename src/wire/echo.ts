// Batch answers echo the input items that failed (gaps C14/C15). An item is echoed whole when it
// is small; a large one is echoed as a bounded summary, so one failed item can never make the
// answer huge (or, with the body depth limit of src/http/json-body.ts, deep).

/** The largest item echoed whole, measured as JSON characters. */
export const MAX_ECHO_CHARS = 2048;
/** In a summary: strings are cut to this many characters, nested values kept up to this size as JSON. */
export const MAX_ECHO_STRING = 256;
/** In a summary: at most this many top-level keys. */
export const MAX_ECHO_KEYS = 20;

const jsonLength = (v: unknown): number => {
  try {
    return (JSON.stringify(v) ?? '').length;
  } catch {
    return Infinity;
  }
};

const cut = (s: string) => (s.length > MAX_ECHO_STRING ? `${s.slice(0, MAX_ECHO_STRING)}…` : s);

/**
 * `item` itself when its JSON is at most MAX_ECHO_CHARS; else a summary that marks itself with
 * `truncated: true`: for an object its first MAX_ECHO_KEYS keys, strings cut to MAX_ECHO_STRING
 * characters (+ "…"), nested arrays and objects kept when small (MAX_ECHO_STRING as JSON) and left
 * out otherwise; for a string the string cut; for an array `{truncated, length}`.
 */
export function echoItem(item: unknown): unknown {
  if (jsonLength(item) <= MAX_ECHO_CHARS) return item;
  if (typeof item === 'string') return cut(item);
  if (Array.isArray(item)) return { truncated: true, length: item.length };
  if (typeof item !== 'object' || item === null) return null;
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key of Object.keys(item)) {
    if (kept === MAX_ECHO_KEYS) break;
    const v = (item as Record<string, unknown>)[key];
    const k = cut(key);
    if (typeof v === 'string') out[k] = cut(v);
    else if (typeof v !== 'object' || v === null) out[k] = v;
    else if (jsonLength(v) <= MAX_ECHO_STRING) out[k] = v;
    else continue;
    kept++;
  }
  out.truncated = true;
  return out;
}
