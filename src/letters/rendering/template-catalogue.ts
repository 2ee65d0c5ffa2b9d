/**
 * The letter templates (templates/letters/*.hbs): Handlebars in strict mode, one per process notice and per
 * reply outcome, the shared parts as partials (templates/letters/partials/*.hbs). Each template opens with a
 * comment declaring its variables:
 *
 *     {{!-- requires: receiptDate channel subject
 *           optional: reasons --}}
 *
 * A template writes the body of the letter, one paragraph a line; the frame around it (title, number,
 * salutation, closing, signature, date, contact line) is the renderer's, so no override can drop it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import type { LetterFacts, TemplateCode } from './letter-facts';
import { isTemplateCode, TEMPLATE_CODES } from './letter-facts';
import { buildView, DERIVED_NEEDS, DERIVED_VARIABLES, isBlankFact, ITEM_FIELDS, OBJECT_FIELDS, type DerivedVariable } from './letter-view';
import { FACT_FIELDS } from './letter-facts';

export interface TemplateDeclaration {
  readonly requires: readonly string[];
  readonly optional: readonly string[];
}

export interface LetterTemplate {
  readonly code: TemplateCode;
  readonly source: string;
  readonly declaration: TemplateDeclaration;
  /** the derived parts it prints: `citation`, `remedies` … (legally required in any override) */
  readonly derived: readonly DerivedVariable[];
}

export interface TemplateProblem {
  readonly kind: 'syntax' | 'undeclared' | 'required_part_missing' | 'render';
  readonly message: string;
}

export class TemplateError extends Error {
  constructor(
    readonly code: string,
    readonly problems: readonly TemplateProblem[],
  ) {
    super(`template ${code}: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'TemplateError';
  }
}

const BUILTIN_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** templates/letters beside the project root (from src/… under ts, dist/… when built). */
export function templatesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'templates', 'letters');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('templates/letters not found above ' + __dirname);
}

const DECLARATION = /^\s*\{\{!--([\s\S]*?)--\}\}/;

export function parseDeclaration(source: string): TemplateDeclaration | null {
  const m = DECLARATION.exec(source);
  if (!m) return null;
  const list = (key: string): string[] => {
    const line = new RegExp(`${key}:([^\\n]*)`).exec(m[1]);
    return line ? line[1].trim().split(/\s+/).filter(Boolean) : [];
  };
  return { requires: list('requires'), optional: list('optional') };
}

interface Catalogue {
  readonly env: typeof Handlebars;
  readonly partials: ReadonlyMap<string, string>;
  readonly templates: ReadonlyMap<TemplateCode, LetterTemplate & { readonly compiled: HandlebarsTemplateDelegate }>;
}

let catalogue: Catalogue | null = null;

const COMPILE_OPTIONS: CompileOptions = { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true } };

function load(): Catalogue {
  if (catalogue) return catalogue;
  const dir = templatesDir();
  const env = Handlebars.create();
  const partials = new Map<string, string>();
  const partialDir = join(dir, 'partials');
  for (const f of readdirSync(partialDir).filter((x) => x.endsWith('.hbs'))) {
    const name = f.slice(0, -4);
    const src = readFileSync(join(partialDir, f), 'utf8').replace(DECLARATION, '');
    partials.set(name, src);
    env.registerPartial(name, env.compile(src, COMPILE_OPTIONS));
  }
  const templates = new Map<TemplateCode, LetterTemplate & { compiled: HandlebarsTemplateDelegate }>();
  for (const code of TEMPLATE_CODES) {
    const source = readFileSync(join(dir, `${code}.hbs`), 'utf8');
    const declaration = parseDeclaration(source);
    if (!declaration) throw new Error(`templates/letters/${code}.hbs declares no variables`);
    const used = usedNames(env, source, partials);
    const derived = DERIVED_VARIABLES.filter((d) => used.has(d));
    templates.set(code, { code, source, declaration, derived, compiled: env.compile(source, COMPILE_OPTIONS) });
  }
  catalogue = { env, partials, templates };
  return catalogue;
}

export function listTemplates(): readonly LetterTemplate[] {
  return [...load().templates.values()].map(({ code, source, declaration, derived }) => ({ code, source, declaration, derived }));
}

export function getTemplate(code: string): LetterTemplate {
  if (!isTemplateCode(code)) throw new TemplateError(code, [{ kind: 'undeclared', message: `未知的文书模板：${code}` }]);
  const t = load().templates.get(code)!;
  return { code: t.code, source: t.source, declaration: t.declaration, derived: t.derived };
}

/** The facts a template prints unconditionally: its declared `requires` and what its derived parts need. */
export function requiredVariables(code: TemplateCode): readonly string[] {
  const t = getTemplate(code);
  const needs = t.derived.flatMap((d) => DERIVED_NEEDS[d]);
  return [...new Set(['addresseeName', 'agencyName', 'date', ...t.declaration.requires, ...needs])];
}

/**
 * The facts missing for a letter (empty when it can be printed without a blank): the template's required
 * variables, and the addressee's address when the letter goes by post. The letters service answers
 * 409 LETTER_DATA_MISSING naming them.
 */
export function missingVariables(code: TemplateCode, facts: LetterFacts): string[] {
  const missing = requiredVariables(code).filter((v) => isBlankFact(facts, v));
  if (facts.deliveryMethod === 'post' && isBlankFact(facts, 'addresseeAddress')) missing.push('addresseeAddress');
  return missing;
}

/** Names a template source refers to (variables' heads, partials, helpers), through the partials it uses. */
function usedNames(env: typeof Handlebars, source: string, partials: ReadonlyMap<string, string>, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown, scope: string | null): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; [k: string]: unknown };
    if (n.type === 'PathExpression') {
      const p = n as unknown as hbs.AST.PathExpression;
      if (p.data) {
        // @root.x reaches the top level: checked as x; @index, @first … are the blocks' own
        if (p.parts[0] === 'root' && p.parts.length > 1) names.add(p.parts.slice(1).join('.'));
        else if (p.parts[0] === 'root') names.add('@root');
        return;
      }
      if (p.parts.length === 0) return; // this
      // ../x inside a block reaches the top level (the templates nest one level at most): checked as x
      names.add(scope && p.depth === 0 ? `${scope}:${p.parts.join('.')}` : p.parts.join('.'));
      return;
    }
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      const name = (n.name as hbs.AST.PathExpression).original ?? '';
      names.add(`>${name}`);
      if (!seen.has(name) && partials.has(name)) {
        seen.add(name);
        for (const x of usedNames(env, partials.get(name)!, partials, seen)) names.add(x);
      }
      return;
    }
    if (n.type === 'BlockStatement') {
      const b = n as unknown as hbs.AST.BlockStatement;
      const helper = b.path.original;
      names.add(`#${helper}`);
      for (const p of b.params) visit(p, scope);
      const inner = helper === 'each' || helper === 'with' ? ((b.params[0] as hbs.AST.PathExpression)?.original ?? '?') : scope;
      visit(b.program, inner);
      visit(b.inverse, scope);
      return;
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach((x) => visit(x, scope));
      else if (v && typeof v === 'object') visit(v, scope);
    }
  };
  visit(env.parse(source), null);
  return names;
}

function undeclared(code: TemplateCode, names: Set<string>, partials: ReadonlyMap<string, string>): string[] {
  const builtin = load().templates.get(code)!;
  const allowed = new Set<string>([...builtin.declaration.requires, ...builtin.declaration.optional, ...DERIVED_VARIABLES]);
  const bad: string[] = [];
  for (const name of names) {
    if (name.startsWith('>')) {
      if (!partials.has(name.slice(1))) bad.push(`未知的片段 ${name.slice(1)}`);
      continue;
    }
    if (name.startsWith('#')) {
      if (!BUILTIN_HELPERS.has(name.slice(1))) bad.push(`未知的块 ${name.slice(1)}`);
      continue;
    }
    const scoped = /^([^:]+):(.*)$/.exec(name);
    if (scoped) {
      const [, scope, path] = scoped;
      const ok = path === 'this' || (ITEM_FIELDS[scope] ?? OBJECT_FIELDS[scope] ?? []).includes(path);
      if (!ok) bad.push(`未声明的变量 ${scope} 中的 ${path}`);
      continue;
    }
    const [head, ...rest] = name.split('.');
    if (!allowed.has(head) || !(FACT_FIELDS as readonly string[]).concat(DERIVED_VARIABLES).includes(head)) {
      bad.push(`未声明的变量 ${name}`);
      continue;
    }
    if (rest.length > 0 && !(rest.length === 1 && (OBJECT_FIELDS[head] ?? []).includes(rest[0]))) bad.push(`未声明的变量 ${name}`);
  }
  return bad;
}

/**
 * Checks a template text (an agency's override) for `code`: it parses, it refers only to the variables the
 * template declares (and the derived parts, partials and the built-in blocks), and it still prints the
 * legally required parts of the built-in template (the articles cited, the remedies sentence where one
 * belongs), tried on the sample facts. Empty when fine.
 */
export function validateTemplateSource(code: string, source: string, sample?: LetterFacts): TemplateProblem[] {
  if (!isTemplateCode(code)) return [{ kind: 'undeclared', message: `未知的文书模板：${code}` }];
  const { env, partials, templates } = load();
  let names: Set<string>;
  try {
    names = usedNames(env, source, partials);
  } catch (e) {
    return [{ kind: 'syntax', message: `模板语法错误：${(e as Error).message.split('\n')[0]}` }];
  }
  const bad = undeclared(code, names, partials);
  if (bad.length) return bad.map((message) => ({ kind: 'undeclared', message }));
  const builtin = templates.get(code)!;
  const problems: TemplateProblem[] = [];
  for (const d of builtin.derived) {
    if (d === 'outcomeLabel') continue;
    if (!names.has(d)) problems.push({ kind: 'required_part_missing', message: d === 'remedies' ? '模板缺少救济途径告知（{{remedies}}）' : '模板缺少所依据的条款（{{citation}}）' });
  }
  if (problems.length) return problems;
  if (sample) {
    try {
      const text = env.compile(source, COMPILE_OPTIONS)(buildView(sample));
      const view = buildView(sample);
      for (const d of builtin.derived) {
        const want = view[d];
        if (d !== 'outcomeLabel' && typeof want === 'string' && !text.includes(want))
          problems.push({ kind: 'required_part_missing', message: d === 'remedies' ? '模板未输出救济途径告知（{{remedies}}）' : '模板未输出所依据的条款（{{citation}}）' });
      }
    } catch (e) {
      problems.push({ kind: 'render', message: `模板无法用示例数据生成：${(e as Error).message.split('\n')[0]}` });
    }
  }
  return problems;
}

/**
 * The body paragraphs of a letter: the template (or a validated override `source`) applied to the facts,
 * one paragraph per non-blank line.
 */
export function renderBody(facts: LetterFacts, source?: string): string[] {
  const { env, templates } = load();
  const t = templates.get(facts.template);
  if (!t) throw new TemplateError(facts.template, [{ kind: 'undeclared', message: `未知的文书模板：${facts.template}` }]);
  const compiled = source === undefined ? t.compiled : env.compile(source, COMPILE_OPTIONS);
  const text = compiled(buildView(facts));
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
