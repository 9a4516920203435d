/**
 * Every `error_code` the mock answers, with what it means: one stable snake_case code per rule.
 * Heymarket's own integration surface uses some of these names (unsubscribed_number,
 * no_sender_available, invalid_api_key, rate_limited, internal_error); the rest are the mock's.
 * README "Error codes" lists the same table; a test keeps the two in step.
 */
export const ERROR_CODES = {
  // Request shape (any endpoint)
  invalid_request: 'The request is invalid (a rule without a more specific code)',
  invalid_json: 'The body is not valid JSON, or is nested too deeply',
  invalid_unicode: 'The body is not valid UTF-8, or a string or key in it holds a lone UTF-16 surrogate',
  empty_body: 'Content-Type is application/json but the body is empty',
  unsupported_media_type: 'The body is not JSON',
  required_field: 'A required field is missing',
  invalid_type: 'A field has the wrong JSON type',
  invalid_format: 'A string field has the wrong format (date, email, UUID, URL)',
  invalid_value: 'A field has a value that is not allowed',
  too_small: 'A number, string or list is below its minimum',
  too_large: 'A number, string or list is above its maximum',
  too_many_items: 'An array or map holds more items than its documented maximum (README "Request limits")',
  unknown_field: 'A field the endpoint does not take',
  invalid_id: 'A path id is not a positive integer (or a UUID where one is required)',
  invalid_phone: "A phone number is not E.164 digits without '+'",
  invalid_email: 'An email address is not valid',
  payload_too_large: 'The body is larger than HEYMARKET_MOCK_BODY_LIMIT',
  request_timeout: 'The request did not arrive in time (HEYMARKET_MOCK_HEADERS_TIMEOUT_MS, HEYMARKET_MOCK_REQUEST_TIMEOUT_MS); the connection is closed',
  headers_too_large: 'The request headers are larger than 16 KiB (431)',
  malformed_request: 'The bytes received are not a valid HTTP/1.1 request',
  unknown_endpoint: 'No route has this method and path (the message hints at the right one)',
  not_found: 'The id in the path, or the record the request is about, does not exist in this team',
  // Credentials and limits
  unauthorized: 'Credentials are refused (a reason without a more specific code)',
  missing_credentials: 'No Authorization header',
  invalid_api_key: 'The legacy team API key (Bearer or Basic) is unknown',
  invalid_token: 'The JWT cannot be decoded or verified, or its claims are wrong',
  token_expired: 'The JWT is older than 300 s after iat, or past its exp',
  denied: 'Authenticated but not allowed',
  rate_limited: 'More than the allowed requests this minute; Retry-After says when to retry',
  auth_rate_limited: 'Too many failed authentications from this client address this minute; Retry-After says when to retry',
  duplicate_authorization: 'The request has more than one Authorization header',
  host_not_allowed: 'The Host header names a host the mock does not answer to (DNS rebinding protection, HEYMARKET_MOCK_ALLOWED_HOSTS)',
  cross_origin_refused: 'A control-plane request from a web page of another origin (Origin header)',
  // Messaging rules
  unsubscribed_number: 'The contact opted out (unsubscribed) and cannot be messaged',
  blocked_contact: 'The contact is blocked and cannot be messaged',
  no_sender_available: 'The inbox or member given cannot send this message',
  toll_free_group_mms: 'Group MMS is not available from a toll-free number',
  unknown_member_email: 'creator_email (or a schedule\'s user_email) is not the email of any member of the team',
  // The mock itself
  not_implemented: 'A documented endpoint the mock does not serve yet',
  injected_fault: 'A fault rule of the team (POST /__mock/faults) answered this request on purpose',
  fault_limit: 'The team already holds the most fault rules it may (100); remove some first',
  webhook_limit: 'The team already holds the most webhooks it may (50); remove some first',
  webhook_deleted: "The delivery's webhook was deleted, so it cannot be redelivered",
  store_replaced: "The team was reset, restored or deleted while this request was being written in slices; what it had written went with the old store, nothing more was written",
  database_busy: 'Another process held the database file past its busy timeout; nothing was written, retry',
  shutting_down: 'The server is stopping: requests already received are finished, new ones get 503 with Connection: close',
  internal_error: 'A bug in heymarket-mock; quote the X-Request-Id',
} as const;

export type KnownErrorCode = keyof typeof ERROR_CODES;

export function isKnownErrorCode(code: unknown): code is KnownErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
