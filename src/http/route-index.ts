/**
 * Every registered route, so a 404 can say what the client probably meant: the right method for a
 * known path, the path without a trailing or doubled slash, or where the docs are.
 */
export class RouteIndex {
  private readonly routes: Array<{ methods: string[]; pattern: string; regex: RegExp }> = [];

  add(method: string | string[], url: string) {
    if (url.includes('*')) return; // static files (Swagger UI)
    const methods = (Array.isArray(method) ? method : [method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    if (!methods.length) return;
    const regex = new RegExp('^' + url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/') + '$');
    const known = this.routes.find((r) => r.pattern === url);
    if (known) known.methods.push(...methods);
    else this.routes.push({ methods: [...methods], pattern: url, regex });
  }

  private methodsFor(path: string): string[] {
    return [...new Set(this.routes.filter((r) => r.regex.test(path)).flatMap((r) => r.methods))].sort();
  }

  /** A hint for a request that matched no route, or '' when there is nothing useful to say. */
  hint(method: string, path: string): string {
    if (path === '/' || path === '') return 'the API is under /v1 and /v2: see /docs (Swagger UI) or /openapi.json; the control plane is under /__mock';
    const here = this.methodsFor(path);
    if (here.length && !here.includes(method)) return `\`${path}\` takes ${here.join(' or ')}`;
    const cleaned = path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    if (cleaned !== path && this.methodsFor(cleaned).length) return `did you mean \`${cleaned}\`?`;
    return '';
  }
}
