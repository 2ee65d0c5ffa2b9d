import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { LONG_TEXT_PATTERN, TEXT_PATTERN } from '../validation/patterns';
import { LONG_TEXT_MIN_LENGTH } from '../validation/validation.pipe';

type Json = Record<string, unknown>;
interface Rule {
  name?: string;
  type: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

const UUID_SOURCE = /^\^\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}-\[0-9a-f\]\{4\}-\[0-9a-f\]\{4\}-\[0-9a-f\]\{12\}\$$/;

/** What one validator says in the document's terms; null: nothing the document can say. */
function schemaOf(rule: Rule): Json | null {
  const c = rule.constraints ?? [];
  switch (rule.name) {
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isString':
      return { type: 'string' };
    case 'min':
      return { minimum: c[0] };
    case 'max':
      return { maximum: c[0] };
    case 'minLength':
      return { minLength: c[0] };
    case 'maxLength':
      return { maxLength: c[0] };
    case 'arrayMinSize':
      return { minItems: c[0] };
    case 'arrayMaxSize':
      return { maxItems: c[0] };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isIsoDate':
      return { type: 'string', format: 'date' };
    case 'isAmount':
      return { type: 'number', multipleOf: 0.01 };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isIn':
      return Array.isArray(c[0]) ? { enum: [...(c[0] as unknown[])] } : null;
    case 'matches': {
      const re = c[0];
      if (!(re instanceof RegExp)) return null;
      if (UUID_SOURCE.test(re.source)) return { type: 'string', format: 'uuid' };
      return re.flags.replace(/[gu]/g, '') === '' ? { type: 'string', pattern: re.source } : null;
    }
    default:
      return null;
  }
}

/** Numeric and length limits are kept where a decorator said them; a type, format or pattern from a validator wins. */
function merge(into: Json, add: Json): void {
  for (const [k, v] of Object.entries(add)) {
    if (k === 'type' && into.type === 'integer' && v === 'number') continue;
    if ((k === 'minimum' || k === 'maxLength' || k === 'maxItems') && typeof into[k] === 'number') into[k] = Math.max(into[k], v as number);
    else if ((k === 'maximum' || k === 'minLength' || k === 'minItems') && typeof into[k] === 'number') into[k] = k === 'maximum' ? Math.min(into[k], v as number) : Math.max(into[k], v as number);
    else if (k === 'enum' && Array.isArray(into.enum)) continue;
    else into[k] = v;
  }
}

/** A plain text field (no format, pattern or enum) gets the text rule's pattern. */
function addTextRule(s: Json): void {
  if (s.type !== 'string' || s.format || s.pattern || s.enum) return;
  s.pattern = typeof s.maxLength === 'number' && s.maxLength >= LONG_TEXT_MIN_LENGTH ? LONG_TEXT_PATTERN : TEXT_PATTERN;
}

let done = false;

/**
 * The request schemas as strict as the server, from the one source the server uses: every DTO's class-validator
 * rules become its documented schema (@nestjs/swagger's own plugin does this at compile time with
 * `classValidatorShim`; this build does not run the plugin). Integers are `integer`, limits are `minimum`/`maximum`
 * and `minLength`/`maxLength`, ids are `format: uuid`, dates `format: date`, `@IsIn` an `enum`, `@Matches` a
 * `pattern`, and every plain text field carries the text rule's pattern. Runs once, before the document is made;
 * only properties already documented with @ApiProperty are touched.
 */
export function schemaFromValidators(): void {
  if (done) return;
  done = true;
  const byClass = (getMetadataStorage() as unknown as { validationMetadatas: Map<object, Rule[]> }).validationMetadatas;
  for (const [cls, rules] of byClass) {
    const proto = (cls as { prototype?: object }).prototype;
    if (!proto) continue;
    const props = new Map<string, Rule[]>();
    for (const r of rules) props.set(r.propertyName, [...(props.get(r.propertyName) ?? []), r]);
    for (const [prop, list] of props) {
      const existing = Reflect.getOwnMetadata(DECORATORS.API_MODEL_PROPERTIES, proto, prop) as Json | undefined;
      if (!existing) continue;
      const meta: Json = { ...existing };
      const isArray = meta.isArray === true || meta.type === 'array' || meta.type === Array;
      const items: Json = isArray && typeof meta.items === 'object' && meta.items ? { ...(meta.items as Json) } : {};
      for (const rule of list) {
        const s = schemaOf(rule);
        if (!s) continue;
        if (rule.each) merge(items, s);
        else if (!isArray) merge(meta, s);
        else merge(meta, Object.fromEntries(Object.entries(s).filter(([k]) => k === 'minItems' || k === 'maxItems')));
      }
      if (meta.type === String) meta.type = 'string';
      if (meta.type === Number && !isArray) meta.type = 'number';
      if (!isArray) addTextRule(meta);
      else if (meta.isArray === true && (meta.type === String || meta.type === Number || meta.type === 'string' || meta.type === 'number')) {
        // `type: [String]`: written out, so that the items can carry their rules
        const itemType = meta.type === String || meta.type === 'string' ? 'string' : 'number';
        delete meta.isArray;
        meta.type = 'array';
        meta.items = { type: itemType, ...items };
        addTextRule(meta.items as Json);
      } else if (meta.type === 'array' && meta.items && typeof meta.items === 'object' && !(meta.items as Json).$ref) {
        meta.items = items;
        addTextRule(items);
      }
      Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, meta, proto, prop);
    }
  }
}
