/** 20 MB per uploaded file (the 1 MB request-body limit does not apply to multipart uploads). */
export const UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Busboy limits for one upload: one file, a few short text fields. Registered with
 * @fastify/multipart as defaults and passed again by each upload route.
 */
export const UPLOAD_LIMITS = { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 4, parts: 6, fieldSize: 1024, fieldNameSize: 100, headerPairs: 50 };
