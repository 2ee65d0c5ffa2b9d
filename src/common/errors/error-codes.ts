/**
 * Stable error codes → HTTP status and the default Chinese message for people.
 * The codes are part of the API contract: clients branch on them.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: '请求内容不符合要求' },
  UNAUTHENTICATED: { status: 401, message: '未登录或登录已失效' },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  REFRESH_TOKEN_INVALID: { status: 401, message: '刷新令牌无效或已使用，请重新登录' },
  FORBIDDEN: { status: 403, message: '无权执行此操作' },
  NOT_FOUND: { status: 404, message: '请求的资源不存在' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的内容类型' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  CONFLICT: { status: 409, message: '与现有数据冲突' },
  AGENCY_CODE_TAKEN: { status: 409, message: '机关代码已被使用' },
  USERNAME_TAKEN: { status: 409, message: '用户名已被使用' },
  TRANSITION_NOT_ALLOWED: { status: 409, message: '当前状态下不能执行此操作' },
  CASE_VERSION_CONFLICT: { status: 409, message: '案件已被他人更新，请刷新后重试' },
  CORRECTION_ALREADY_REQUESTED: { status: 409, message: '本案已要求过补正，依法只能要求一次' },
  CORRECTION_WINDOW_CLOSED: { status: 409, message: '已超过收到申请之日起7个工作日，不能再要求补正' },
  EXTENSION_ALREADY_USED: { status: 409, message: '本案已申请过延期答复，只能延长一次' },
  EXTENSION_TOO_LATE: { status: 409, message: '答复期限已过，不能再延长' },
  EXTENSION_NOT_REQUESTED: { status: 409, message: '本案没有待批准的延期申请' },
  DEADLINE_PASSED: { status: 409, message: '答复期限已过，不能再暂停计算期限' },
  PERIOD_NOT_LAPSED: { status: 409, message: '期限尚未届满，不能视为放弃申请' },
  CONSULTATION_NOT_OPEN: { status: 409, message: '没有对应的进行中的征求意见' },
  FORWARD_ALREADY_USED: { status: 409, message: '本申请已转送过一次，不能再次转送' },
  REASONS_NOT_ESTABLISHED: { status: 409, message: '尚未依第三十五条要求申请人说明理由并作出认定' },
  LETTER_DATA_MISSING: { status: 409, message: '文书缺少必须载明的内容，请先补全' },
  LETTER_NOT_RENDERED: { status: 409, message: '文书正在生成，请稍后再试' },
  LETTER_NOT_ISSUED: { status: 409, message: '文书尚未印发，不能更正' },
  LETTER_ALREADY_SUPERSEDED: { status: 409, message: '该文书已被更正，不能再次更正' },
  RELEASE_FILES_LOCKED: { status: 409, message: '答复已签批或已发出，随答复提供的文件不能再更改' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  REPORT_ALREADY_PUBLISHED: { status: 409, message: '该年度报告已公开，不能再次公开' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '幂等键已用于内容不同的请求' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂不可用' },
  INTERNAL_ERROR: { status: 500, message: '服务器内部错误，请联系管理员并提供请求编号' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
