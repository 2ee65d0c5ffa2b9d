/**
 * Benchmarks: `npm run bench -- calendar|http|all` (default all).
 *   calendar  working-day arithmetic against chinese-days (bench/calendar.ts)
 *   http      the app against bare Fastify + pg on PostgreSQL (bench/http.ts)
 */
import { main as calendar } from './calendar';
import { main as http } from './http';

async function run(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  if (!['calendar', 'http', 'all'].includes(which)) {
    process.stderr.write(`usage: npm run bench -- calendar|http|all (got "${which}")\n`);
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
}

run().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
