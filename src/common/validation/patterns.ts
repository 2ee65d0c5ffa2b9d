/**
 * The request patterns the server checks outside the DTOs, in one place: the checks use them and the OpenAPI
 * document shows them (src/common/openapi/finish-document.ts).
 */

/** `Idempotency-Key`: 1–200 letters, digits or `_.:-`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** `If-Match` on a case action: the case version, bare, quoted or weak (`3`, `"3"`, `W/"3"`). */
export const IF_MATCH_PATTERN = /^(?:W\/)?"?(\d{1,9})"?$/;

/** Fastify's limit for one path parameter; a longer one is 414 URI_TOO_LONG. */
export const MAX_PATH_PARAM_LENGTH = 100;

/** The portal's tracking number and query code as the applicant types them (anything else is 404, told apart from nothing). */
export const TRACKING_NUMBER_PATTERN = /^[A-Za-z0-9]{4,20}$/;
export const QUERY_CODE_PATTERN = /^[A-Za-z0-9]{1,64}$/;

/**
 * What the text rule (validation.pipe.ts) refuses in a text field, as the body of a character class of a JSON
 * Schema pattern (ECMA-262 with the u flag): C0 controls, DEL, C1 controls and lone surrogates; a long text field
 * (limit of 1,000 characters or more) also takes line feed, carriage return and tab.
 */
export const TEXT_RULE_EXCLUDED = '\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF';
export const LONG_TEXT_RULE_EXCLUDED = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF';
export const TEXT_PATTERN = `^[^${TEXT_RULE_EXCLUDED}]*$`;
export const LONG_TEXT_PATTERN = `^[^${LONG_TEXT_RULE_EXCLUDED}]*$`;
/** A text that is not blank (only white space), under the text rule. */
export const NON_BLANK_TEXT_PATTERN = `^(?!\\s*$)[^${TEXT_RULE_EXCLUDED}]*$`;
