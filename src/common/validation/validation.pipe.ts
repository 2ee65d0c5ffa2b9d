import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, FieldProblem } from '../errors/domain-error';
import { memoizeValidationMetadata } from './metadata-cache';

/** Chinese wording for class-validator's constraints. */
export const CONSTRAINT_MESSAGES: Record<string, string> = {
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
  isAmount: '金额应为数字，至多两位小数',
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
const ORDER = ['whitelistValidation', 'isDefined', 'nestedValidation', 'isObject', 'isNotEmptyObject', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isIn', 'isEnum', 'isUuid', 'isUUID', 'isEmail', 'isIsoDate', 'isAmount', 'matches', 'noControlChars'];
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

/** Control characters (Unicode Cc: C0, DEL and C1) but line feed, carriage return and tab. */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its pair (JSON's "\ud800"): not a character; PostgreSQL would store U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
/** A text field whose limit is at least this long (descriptions, reasons, notes) may hold line breaks and tabs. */
export const LONG_TEXT_MIN_LENGTH = 1000;
/** Deeper than any request of the contract (JSON bodies are cut at 64 levels before parsing). */
const MAX_WALK_DEPTH = 64;

export const TEXT_MESSAGES = {
  control: '含有不允许的控制字符',
  surrogate: '含有无效的字符（不成对的代理项）',
  lineBreak: '不能含有换行符或制表符',
  notObject: '请求体必须是JSON对象',
} as const;

/** A field name fit to be named in an answer: anything the text rule refuses is replaced, nothing echoed raw. */
const NAME_REFUSED = new RegExp(`${CONTROL.source}|${LONE_SURROGATE.source}|${LINE_BREAK_OR_TAB.source}`, 'g');
function safeName(key: string): string {
  // replace() with a global pattern starts at 0 and resets lastIndex: one shared pattern is safe
  return key.replace(NAME_REFUSED, '\uFFFD');
}

const join = (parent: string, key: string) => (parent ? `${parent}.${safeName(key)}` : safeName(key));

/**
 * The text rule, for every string of a request (body, query, path) at any depth, and for the keys of its
 * objects: no control character but line feed, carriage return and tab, and no lone surrogate. The first
 * offence is a 400 VALIDATION_FAILED naming the field.
 */
export function checkText(value: unknown, field: string, depth = 0): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw DomainError.field(field || 'body', TEXT_MESSAGES.surrogate);
    if (CONTROL.test(value)) throw DomainError.field(field || 'body', TEXT_MESSAGES.control);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_WALK_DEPTH) throw DomainError.field(field || 'body', '嵌套层数过多');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkText(value[i], join(field, String(i)), depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    if (LONE_SURROGATE.test(key) || CONTROL.test(key) || LINE_BREAK_OR_TAB.test(key)) throw DomainError.field(join(field, key), TEXT_MESSAGES.control);
    checkText((value as Record<string, unknown>)[key], join(field, key), depth + 1);
  }
}

/** Per DTO class: its properties whose maxLength is at least LONG_TEXT_MIN_LENGTH. */
type DtoClass = Parameters<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[0];
const longTextFields = new WeakMap<DtoClass, Set<string>>();
function longTextOf(cls: DtoClass): Set<string> {
  let found = longTextFields.get(cls);
  if (!found) {
    found = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(cls, '', false, false, undefined)
        .filter((m) => m.name === 'maxLength' && typeof m.constraints?.[0] === 'number' && m.constraints[0] >= LONG_TEXT_MIN_LENGTH)
        .map((m) => m.propertyName),
    );
    longTextFields.set(cls, found);
  }
  return found;
}

/**
 * The second half of the text rule, on the validated DTO: line feed, carriage return and tab only in long text
 * fields (those with a limit of LONG_TEXT_MIN_LENGTH or more); names, codes, addresses and the like are one line.
 */
export function checkLineBreaks(value: unknown, field: string, long = false, depth = 0): void {
  if (typeof value === 'string') {
    if (!long && LINE_BREAK_OR_TAB.test(value)) throw DomainError.field(field || 'body', TEXT_MESSAGES.lineBreak);
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_WALK_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkLineBreaks(value[i], join(field, String(i)), long, depth + 1);
    return;
  }
  const cls: DtoClass = value.constructor;
  const longFields = cls && cls !== Object ? longTextOf(cls) : undefined;
  for (const key of Object.keys(value)) checkLineBreaks((value as Record<string, unknown>)[key], join(field, key), !!longFields?.has(key), depth + 1);
}

const PLAIN_TYPES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Nest's ValidationPipe with the text rule before it (so no validator sees a lone surrogate: class-validator's
 * isEmail threw URIError on one) and after it (line breaks), and a body that must be a JSON object when the
 * route takes a DTO (`null` became `{}` and a PATCH answered 200).
 */
class HardenedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const field = metadata.type === 'body' ? '' : (metadata.data ?? '');
    const dto = typeof metadata.metatype === 'function' && !PLAIN_TYPES.includes(metadata.metatype);
    if (metadata.type === 'body' && dto && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw DomainError.field('body', TEXT_MESSAGES.notObject);
    }
    checkText(value, field);
    const out: unknown = await super.transform(value, metadata);
    checkLineBreaks(out, field);
    return out;
  }
}

/** The global pipe: unknown fields are errors, payloads become DTO instances. */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new HardenedValidationPipe({
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
