/**
 * Path patterns of fault rules (pure, no I/O). A pattern is an absolute path whose segments are
 * literals, `*` (exactly one non-empty segment) or `**` (any number of segments, none included):
 * `/v1/contact/*` matches `/v1/contact/12` but not `/v1/contact/12/tags`; `/v1/**` matches
 * `/v1`, `/v1/contact` and `/v1/contact/12/tags`. A path without a wildcard matches itself only.
 * Matching is on the request path as sent (no query string), case-sensitive like the router.
 */

export interface PathPattern {
  source: string;
  /** Segments after the leading '/', consecutive `**` collapsed; undefined for an exact path. */
  segments?: string[];
}

export const MAX_PATTERN_LENGTH = 1000;

/** Why `source` is not a usable pattern, or undefined when it is. */
export function patternProblem(source: string): string | undefined {
  if (!source.startsWith('/')) return `must be an absolute path starting with '/' (e.g. /v1/contact/*), got ${JSON.stringify(source)}`;
  if (/[?#\s]/.test(source)) return 'must be a path only: no query string, fragment or whitespace';
  const first = source.split('/')[1];
  if (first === '__mock') return 'fault rules never apply to /__mock/*: give a path of the API (/v1/..., /v2/...)';
  for (const seg of source.split('/').slice(1)) {
    if (seg.includes('*') && seg !== '*' && seg !== '**') {
      return `'*' and '**' must be whole path segments (e.g. /v1/contact/*), not part of one (${JSON.stringify(seg)})`;
    }
  }
  return undefined;
}

/** Compiles a pattern that passed patternProblem. */
export function compilePattern(source: string): PathPattern {
  if (!source.includes('*')) return { source };
  const segments: string[] = [];
  for (const seg of source.split('/').slice(1)) {
    if (seg === '**' && segments.at(-1) === '**') continue;
    segments.push(seg);
  }
  return { source, segments };
}

/** Whether `path` (no query string) matches the pattern. */
export function matchPath(pattern: PathPattern, path: string): boolean {
  if (!pattern.segments) return path === pattern.source;
  if (!path.startsWith('/')) return false;
  return matchSegments(pattern.segments, path.split('/').slice(1));
}

/** dp[j]: the pattern so far matches the first j path segments. O(pattern × path), no backtracking. */
function matchSegments(pattern: string[], path: string[]): boolean {
  let dp: boolean[] = Array.from({ length: path.length + 1 }, (_, j) => j === 0);
  for (const seg of pattern) {
    const next: boolean[] = new Array<boolean>(path.length + 1).fill(false);
    if (seg === '**') {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        any ||= dp[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= path.length; j++) {
        const part = path[j - 1]!;
        next[j] = dp[j - 1]! && (seg === '*' ? part !== '' : part === seg);
      }
    }
    dp = next;
  }
  return dp[path.length]!;
}
