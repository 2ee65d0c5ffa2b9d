import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldProblem } from '../errors/domain-error';
import { memoizeValidationMetadata } from './metadata-cache';

/** Chinese wording for class-validator's constraints. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  whitelistValidation: '不允许的字段',
  isDefined: '缺少必填字段',
  isNotEmpty: '不能为空',
  isString: '必须是文本',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isBoolean: '必须是布尔值',
  isArray: '必须是数组',
  isObject: '必须是对象',
  isIn: '取值不在允许范围内',
  isEnum: '取值不在允许范围内',
  isEmail: '不是有效的电子邮箱地址',
  isUUID: '不是有效的编号',
  isUuid: '不是有效的编号',
  noControlChars: '含有不允许的控制字符',
  maxLength: '长度超过限制',
  minLength: '长度不足',
  min: '数值过小',
  max: '数值过大',
  arrayMaxSize: '元素过多',
  arrayMinSize: '元素过少',
  matches: '格式不正确',
  isIsoDate: '不是有效的日期（YYYY-MM-DD）',
  isPhone: '不是有效的电话号码',
  nestedValidation: '必须是对象',
};

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      // one message per field, in Chinese: a missing value says so; else the most basic failing rule
      const entries = Object.entries(e.constraints).sort((a, b) => rank(a[0]) - rank(b[0]));
      const [name, raw] = entries[0];
      const missing = e.value === undefined || e.value === null;
      const message = missing && name !== 'whitelistValidation' ? '缺少必填字段' : CONSTRAINT_MESSAGES[name] ? withLimit(CONSTRAINT_MESSAGES[name], name, raw) : raw;
      out.push({ field, message });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Type and presence before format, format before size. */
const ORDER = ['whitelistValidation', 'isDefined', 'nestedValidation', 'isObject', 'isNotEmptyObject', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isIn', 'isEnum', 'isUuid', 'isUUID', 'isEmail', 'isIsoDate', 'matches', 'noControlChars'];
function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i === -1 ? ORDER.length : i;
}

function withLimit(message: string, name: string, raw: string): string {
  // keep the number of a length or size limit visible: "长度超过限制（最多100）"
  const n = /(\d+)/.exec(raw)?.[1];
  if (n && ['maxLength', 'minLength', 'min', 'max', 'arrayMaxSize', 'arrayMinSize'].includes(name)) {
    const word = name.startsWith('min') || name === 'arrayMinSize' ? '至少' : '最多';
    return `${message}（${word}${n}）`;
  }
  return message;
}

/** The global pipe: unknown fields are errors, payloads become DTO instances. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // values are read here to tell a missing field from a wrong one; they never leave this function
    validationError: { target: false, value: true },
    exceptionFactory: (errors: ValidationError[]) => {
      const fields = flattenValidationErrors(errors);
      const msg = fields.length ? `${fields[0].field}：${fields[0].message}` : undefined;
      return DomainError.validation(fields, msg);
    },
  });
}
