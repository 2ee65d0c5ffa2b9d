/**
 * Preload for bench/statements.ts (NODE_OPTIONS="--require …/pg-statement-log.js", BENCH_STATEMENT_LOG=<dir>):
 * appends every statement the process sends through node-postgres, whitespace folded and cut at 160 characters,
 * to <dir>/<pid>.log. Plain CommonJS so that it loads before any TypeScript register.
 */
'use strict';
const dir = process.env.BENCH_STATEMENT_LOG;
if (dir) {
  const Module = require('node:module');
  const { appendFileSync } = require('node:fs');
  const file = `${dir}/${process.pid}.log`;
  const original = Module.prototype.require;
  const patched = new WeakSet();
  Module.prototype.require = function (id) {
    const m = original.apply(this, arguments);
    if (id === 'pg' && m && m.Client && !patched.has(m.Client.prototype)) {
      patched.add(m.Client.prototype);
      const query = m.Client.prototype.query;
      m.Client.prototype.query = function (config) {
        const text = typeof config === 'string' ? config : config && config.text;
        appendFileSync(file, `${String(text).replace(/\s+/g, ' ').trim().slice(0, 160)}\n`);
        return query.apply(this, arguments);
      };
    }
    return m;
  };
}
