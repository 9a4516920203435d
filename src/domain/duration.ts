/** Units of a duration such as "90s", "15m", "2h", "1d" or "1h30m" (POST /__mock/clock). */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration like "90s" or "1h30m", or a problem to report. */
export function parseDuration(text: string): { ms: number } | { problem: string } {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) {
    return { problem: `"${text}" is not a duration: use a number and a unit, e.g. "90s", "15m", "2h", "1d" or "1h30m" (units ms, s, m, h, d)` };
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  if (!Number.isSafeInteger(ms)) return { problem: `"${text}" is too long` };
  return { ms };
}
