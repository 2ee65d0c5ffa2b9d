// ESLint 9 flat config: typescript-eslint's type-checked recommended rules and the module
// boundaries the README's architecture table states. `npm run lint` runs it; `npm test` too.
import js from '@eslint/js';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

/** Packages the statute floor must not import: it is plain TypeScript, without framework or I/O. */
const FRAMEWORK_AND_IO = ['./node_modules/@nestjs', './node_modules/typeorm', './node_modules/pg'];

/** The import boundaries, checked on resolved file paths (`import/no-restricted-paths`). */
export const boundaryZones = [
  {
    target: './src/statute',
    from: './src',
    except: ['./statute'],
    message: 'src/statute is the floor of the house: it imports nothing else in src.',
  },
  ...FRAMEWORK_AND_IO.map((from) => ({
    target: './src/statute',
    from,
    message: 'src/statute holds pure rules: no framework, ORM or database driver.',
  })),
  ...['./src/cases', './src/agencies'].flatMap((target) =>
    ['./src/letters', './src/notifications'].map((from) => ({
      target,
      from,
      message: 'cases and agencies know no letters or notifications: those modules listen to them, or offer a port.',
    })),
  ),
];

export default tseslint.config(
  // test/client-consumer is compiled by its own tsconfig against the generated client (test/client-consumer.test.ts)
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'var/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'test/client-consumer/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
    },
    rules: {
      // `void p` is no escape hatch: a fire-and-forget promise gets a .catch or an await. Fastify's
      // reply is a thenable whose builder calls (header, code, send) are synchronous.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { ignoreVoid: false, allowForKnownSafePromises: [{ from: 'package', name: 'FastifyReply', package: 'fastify' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      'import/no-restricted-paths': ['error', { zones: boundaryZones }],
      // an unused parameter kept for a signature (a route's validated query, a callback's position) starts with _
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // letters and mails indent with the ideographic space (U+3000) inside template literals on purpose
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    // Tests and benchmarks read HTTP bodies (supertest's `body` is `any`) and parsed JSON; they check
    // the shape with expect() instead of declaring a type for every answer. Their async callbacks
    // implement interfaces (Jest hooks, fast-check's asyncProperty, handlers) that want a promise.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
      // expect(obj.method).toBe(fn) compares a method's reference; it never calls it unbound
      '@typescript-eslint/unbound-method': 'off',
      // assertions there state the shape of parsed JSON for the reader; on `any`-typed bodies the rule calls them
      // unnecessary and its fix has broken the type check (test/openapi-document.test.ts)
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
