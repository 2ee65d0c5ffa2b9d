import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The import-boundary rule of eslint.config.mjs, proven on snippets: the project's own config lints each
 * snippet as if it were the file named (ESLint's API, `lintText` with a `filePath`), and the test reads
 * which rules fired. ESLint loads its flat config with a dynamic `import()`, which Jest's module sandbox
 * does not offer, so the API runs in a plain Node process.
 */
const ROOT = join(__dirname, '..');

interface Linted {
  file: string;
  rules: string[];
  messages: string[];
}

const SCRIPT = `
const { ESLint } = require('eslint');
(async () => {
  const snippets = JSON.parse(process.argv[1]);
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const s of snippets) {
    const [r] = await eslint.lintText(s.code, { filePath: s.file });
    out.push({ file: s.file, rules: r.messages.map((m) => m.ruleId), messages: r.messages.map((m) => m.message) });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function lint(snippets: { file: string; code: string }[]): Promise<Linted[]> {
  // Under CI=true typescript-eslint infers a "single run" and builds one fixed program from the files on disk;
  // lintText gives it a text that differs from the file, which that mode does not expect (TypeScript then fails
  // inside its module-specifier code). The editor-like mode (TSESTREE_SINGLE_RUN=false) is the one made for it.
  const env = { ...process.env, TSESTREE_SINGLE_RUN: 'false' };
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', SCRIPT, JSON.stringify(snippets)], { cwd: ROOT, env, maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as Linted[];
}

const BOUNDARY = 'import/no-restricted-paths';
// real files of each module, so that the type-checked rules find them in the project; the text is the snippet's
const STATUTE = 'src/statute/fee-tariff.ts';
const CASES = 'src/cases/cases.service.ts';
const AGENCIES = 'src/agencies/agencies.service.ts';
const use = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const used = [${what}];\n`;

describe('lint: module boundaries', () => {
  let results: Linted[];
  const forbidden = [
    { file: STATUTE, code: use('CaseEntity', '../cases/case.entity'), why: 'statute imports another module of src' },
    { file: STATUTE, code: use('SystemClock', '../common/clock/clock'), why: 'statute imports common' },
    { file: STATUTE, code: use('Injectable', '@nestjs/common'), why: 'statute imports the framework' },
    { file: STATUTE, code: use('DataSource', 'typeorm'), why: 'statute imports the ORM' },
    { file: STATUTE, code: use('Pool', 'pg'), why: 'statute imports the database driver' },
    { file: CASES, code: use('LettersRepository', '../letters/letters.repository'), why: 'cases imports letters' },
    { file: CASES, code: use('NotificationsRepository', '../notifications/notifications.repository'), why: 'cases imports notifications' },
    { file: AGENCIES, code: use('LettersRepository', '../letters/letters.repository'), why: 'agencies imports letters' },
  ];
  const allowed = [
    { file: STATUTE, code: use('CALENDAR_RANGE', './working-calendar'), why: 'statute imports itself' },
    { file: STATUTE, code: use('createHash', 'node:crypto'), why: 'statute imports a Node built-in' },
    { file: CASES, code: use('CASE_STATES', '../statute/case-states'), why: 'cases imports the statute' },
    { file: 'src/letters/letters.repository.ts', code: use('CaseEntity', '../cases/case.entity'), why: 'letters imports cases' },
  ];

  beforeAll(async () => {
    results = await lint([...forbidden, ...allowed]);
  }, 300_000);

  it.each(forbidden.map((s, i) => [s.why, i] as const))('rejects: %s', (_why, i) => {
    expect(results[i].rules).toContain(BOUNDARY);
  });

  it.each(allowed.map((s, i) => [s.why, forbidden.length + i] as const))('accepts: %s', (_why, i) => {
    expect(results[i].rules).not.toContain(BOUNDARY);
    expect(results[i].rules).not.toContain(null); // parsed, and found in the project: the answer means something
  });

  it('says why in the message', () => {
    expect(results[2].messages.join('\n')).toContain('src/statute holds pure rules');
    expect(results[5].messages.join('\n')).toContain('cases and agencies know no letters or notifications');
  });
});
