/**
 * The one error type every layer throws; only the error handler turns it into a body.
 * Body shape: {"error": code, "message": text, "field"?: name} (gap G1, docs/decisions.md).
 */
export type ErrorCode =
  | 'bad_data'
  | 'unauthorized'
  | 'denied'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'not_implemented'
  | 'server_error';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badData = (field: string | undefined, message: string) => new ApiError(400, 'bad_data', message, field);
export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);
export const denied = (message: string, field?: string) => new ApiError(403, 'denied', message, field);
export const notFound = (message: string, field?: string) => new ApiError(404, 'not_found', message, field);

// The same with the message led by the field it names ("inbox_id: no inbox with id 9 ..."), so a
// named error constructor (src/resources/<resource>/errors.ts) never hand-copies the prefix.
export const badDataAt = (field: string, text: string) => badData(field, `${field}: ${text}`);
export const notFoundAt = (field: string, text: string) => notFound(`${field}: ${text}`, field);
export const deniedAt = (field: string, text: string) => denied(`${field}: ${text}`, field);

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  field?: string;
}

/** Turns a validation path like ["tags", 5, "tag_id"] into "tags[5].tag_id". */
export function fieldName(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** A zod error as the 400 that names the first failing field ("tags[1].tag_id", "custom.12"). */
export function fromZodError(
  error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
  prefix: Array<string | number> = [],
  part = 'body',
): ApiError {
  const first = error.issues[0]!;
  const field = fieldName([...prefix, ...first.path]);
  return new ApiError(400, 'bad_data', `${field || part}: ${first.message}`, field || undefined);
}
