import { isKnownErrorCode, type KnownErrorCode } from './error-codes.js';

/**
 * The one error type every layer throws; only the error handler turns it into a body:
 * {"error", "error_code", "message", "field"?, "errors": [{field?, message, error_code}]}
 * (gap G1, docs/decisions.md). `error` is the broad class (bad_data, unauthorized, ...);
 * `error_code` names the rule, one stable snake_case code per rule (README "Error codes").
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

/** One problem of a request: a refused body may have several. */
export interface Problem {
  field?: string;
  message: string;
  error_code: KnownErrorCode;
}

/** The code a rule gets when its thrower names none: the broad class's own. */
const DEFAULT_CODES: Record<ErrorCode, KnownErrorCode> = {
  bad_data: 'invalid_request',
  unauthorized: 'unauthorized',
  denied: 'denied',
  not_found: 'not_found',
  payload_too_large: 'payload_too_large',
  rate_limited: 'rate_limited',
  not_implemented: 'not_implemented',
  server_error: 'internal_error',
};

export class ApiError extends Error {
  private _errorCode: KnownErrorCode | undefined;
  private _problems: Problem[] | undefined;

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

  /** The machine-readable rule code (README "Error codes"). */
  get errorCode(): KnownErrorCode {
    return this._errorCode ?? DEFAULT_CODES[this.code];
  }

  /** Names the rule: `badData('phone', '...').coded('invalid_phone')`. */
  coded(errorCode: KnownErrorCode): this {
    this._errorCode = errorCode;
    return this;
  }

  /** Every problem found (the first is this error itself). */
  get problems(): Problem[] {
    return this._problems ?? [{ ...(this.field !== undefined ? { field: this.field } : {}), message: this.message, error_code: this.errorCode }];
  }

  withProblems(problems: Problem[]): this {
    this._problems = problems;
    return this;
  }
}

export const badData = (field: string | undefined, message: string, errorCode?: KnownErrorCode) => {
  const e = new ApiError(400, 'bad_data', message, field);
  return errorCode ? e.coded(errorCode) : e;
};
export const unauthorized = (message: string, errorCode: KnownErrorCode = 'unauthorized') => new ApiError(401, 'unauthorized', message).coded(errorCode);
export const denied = (message: string, field?: string, errorCode?: KnownErrorCode) => {
  const e = new ApiError(403, 'denied', message, field);
  return errorCode ? e.coded(errorCode) : e;
};
export const notFound = (message: string, field?: string, errorCode?: KnownErrorCode) => {
  const e = new ApiError(404, 'not_found', message, field);
  return errorCode ? e.coded(errorCode) : e;
};

// The same with the message led by the field it names ("inbox_id: no inbox with id 9 ..."), so a
// named error constructor (src/resources/<resource>/errors.ts) never hand-copies the prefix.
export const badDataAt = (field: string, text: string) => badData(field, `${field}: ${text}`);
export const notFoundAt = (field: string, text: string) => notFound(`${field}: ${text}`, field);
export const deniedAt = (field: string, text: string) => denied(`${field}: ${text}`, field);

export interface ErrorBody {
  error: ErrorCode;
  error_code: KnownErrorCode;
  message: string;
  field?: string;
  errors: Problem[];
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

/** The error_code of one zod issue: the rule's own when the schema named one, else by kind. */
function issueCode(issue: ZodIssueLike): KnownErrorCode {
  const named = issue.params?.error_code;
  if (isKnownErrorCode(named)) return named;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required_field' : 'invalid_type';
    case 'too_big':
      return 'too_large';
    case 'too_small':
      return 'too_small';
    case 'invalid_format':
      return issue.format === 'email' ? 'invalid_email' : 'invalid_format';
    case 'invalid_value':
      return 'invalid_value';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_union':
      return 'invalid_value';
    default:
      return 'invalid_value';
  }
}

export interface ZodIssueLike {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  format?: string;
  input?: unknown;
  params?: Record<string, unknown>;
}

/** How many problems one answer lists at most (a body with 100 000 bad items gets a bounded answer). */
export const MAX_PROBLEMS = 100;

/**
 * A zod error as the 400 that names the first failing field ("tags[1].tag_id", "custom.12") in
 * `message`/`field`, and lists every problem found (at most MAX_PROBLEMS) in `errors`.
 */
export function fromZodError(error: { issues: ReadonlyArray<ZodIssueLike> }, prefix: Array<string | number> = [], part = 'body'): ApiError {
  const problems = error.issues.slice(0, MAX_PROBLEMS).map((issue): Problem => {
    const field = fieldName([...prefix, ...issue.path]);
    return { ...(field ? { field } : {}), message: `${field || part}: ${issue.message}`, error_code: issueCode(issue) };
  });
  const first = problems[0]!;
  return new ApiError(400, 'bad_data', first.message, first.field).coded(first.error_code).withProblems(problems);
}
