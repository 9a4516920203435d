import { resolve } from 'node:path';
import { buildApp } from '../src/app.js';
import { testConfig } from '../src/config.js';

/** The committed OpenAPI document; `npm run openapi` rewrites it, test/openapi.test.ts checks it. */
export const OPENAPI_PATH = resolve(import.meta.dirname, '..', 'openapi', 'openapi.json');

/** Formats a document the one way it is committed: 2-space JSON with a trailing newline. */
export function formatOpenApi(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Builds the app on an in-memory store and renders its OpenAPI document. */
export async function renderOpenApi(): Promise<string> {
  const app = await buildApp(testConfig());
  try {
    return formatOpenApi(app.swagger());
  } finally {
    await app.close();
  }
}
