import type { Route } from './catalog.js';

// Requests the fuzz properties skip because they hit a known defect that another change owns.
// Each entry names the defect (issue #11); the lead removes an entry once its fix is merged.

interface Req {
  url: string;
  query: unknown;
  body: unknown;
}

export function excluded(_route: Route, _req: Req): boolean {
  return false;
}
