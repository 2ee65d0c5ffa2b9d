/**
 * Benchmarks: `npm run bench -- calendar|http|reminders|all` (default all).
 *   calendar   working-day arithmetic against chinese-days (bench/calendar.ts)
 *   http       the app against bare Fastify + pg on PostgreSQL (bench/http.ts)
 *   reminders  100,000 reminders through two worker processes into an SMTP sink (bench/reminders.ts;
 *              `-- reminders a|b [count] [windowSeconds]`; scenario b takes over ten minutes)
 *   reports    the annual report, performance figures and deadline board over a million cases loaded with COPY,
 *              each beside a hand-written SQL statement (bench/reports.ts; `-- reports [cases]`; not in `all`)
 *   letters    letters rendered to PDF beside bare pdfkit, and a worker thread's memory over 10,000 letters
 *              (bench/letters.ts; `-- letters [count]`)
 *   builds     this checkout's app against another checkout's in alternating rounds (bench/http-builds.ts;
 *              `-- builds <other checkout> [<this checkout>] [rounds]`; not in `all`)
 *   statements the SQL statements per intake and per read of one or more checkouts' apps (bench/statements.ts;
 *              `-- statements [checkout …] [count]`; not in `all`)
 * Also: bench/search.ts (a million cases; about 5 minutes): node -r @swc-node/register bench/search.ts
 */
import { main as calendar } from './calendar';
import { main as http } from './http';
import { main as builds } from './http-builds';
import { main as reminders } from './reminders';
import { main as reports } from './reports';
import { main as statements } from './statements';
import { main as letters } from './letters';

async function run(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  if (!['calendar', 'http', 'builds', 'statements', 'reminders', 'reports', 'letters', 'all'].includes(which)) {
    process.stderr.write(`usage: npm run bench -- calendar|http|builds|statements|reminders|reports|letters|all (got "${which}")\n`);
    process.exit(2);
  }
  if (which === 'calendar' || which === 'all') {
    console.log('== calendar ==');
    calendar();
  }
  if (which === 'http' || which === 'all') {
    console.log(`${which === 'all' ? '\n' : ''}== http ==`);
    await http();
  }
  if (which === 'builds') {
    console.log('== http, two builds ==');
    await builds(process.argv.slice(3));
  }
  if (which === 'statements') {
    console.log('== statements per request ==');
    await statements(process.argv.slice(3));
  }
  if (which === 'reminders' || which === 'all') {
    console.log(`${which === 'all' ? '\n' : ''}== reminders ==`);
    await reminders(which === 'all' ? ['a'] : process.argv.slice(3));
  }
  if (which === 'reports') {
    console.log('== reports ==');
    await reports(process.argv.slice(3));
  }
  if (which === 'letters' || which === 'all') {
    console.log(`${which === 'all' ? '\n' : ''}== letters ==`);
    await letters(which === 'all' ? [] : process.argv.slice(3));
  }
}

run().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
