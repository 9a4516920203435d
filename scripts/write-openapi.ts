import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { OPENAPI_PATH, renderOpenApi } from './openapi.js';

// `npm run openapi`: regenerates openapi/openapi.json from the routes' zod schemas.

const text = await renderOpenApi();
let before: string | undefined;
try {
  before = readFileSync(OPENAPI_PATH, 'utf8');
} catch {
  before = undefined;
}
const shown = relative(process.cwd(), OPENAPI_PATH);
if (before === text) {
  console.log(`${shown} is up to date`);
} else {
  mkdirSync(dirname(OPENAPI_PATH), { recursive: true });
  writeFileSync(OPENAPI_PATH, text);
  const paths = Object.keys((JSON.parse(text) as { paths?: object }).paths ?? {}).length;
  console.log(`wrote ${shown} (${paths} paths)`);
}
