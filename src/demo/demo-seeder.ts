import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { hashPassword } from '../users/users.service';
import { UsersRepository } from '../users/users.repository';
import { DEMO_AGENCIES, DEMO_PEOPLE } from './demo-city';

const DEMO_LOCK = 727_274;

/**
 * Seeds the demo city once into a database that has no agencies (DEMO_DATA=on).
 * Passwords are random, printed once to standard output (not through the logger,
 * which redacts them) and written to ./var/demo-credentials.txt.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly ds: DataSource,
    private readonly agencies: AgenciesRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    const credentials: string[] = [];
    const seeded = await this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
      if ((await this.agencies.count(m)) > 0) return false;
      const ids = new Map<string, string>();
      for (const a of DEMO_AGENCIES) {
        const saved = await this.agencies.insert(m, {
          name: a.name,
          code: a.code,
          parentId: a.parent ? ids.get(a.parent)! : null,
          reconsiderationBody: a.reconsiderationBody,
          court: a.court,
          letterPrefixes: { reply: `${a.prefix}复`, receipt: `${a.prefix}收`, notice: `${a.prefix}告` },
          phone: '0427-2800000',
        });
        ids.set(a.key, saved.id);
        for (const p of DEMO_PEOPLE[a.key]) {
          const username = `${a.code.replace(/^pj-/, '')}.${p.role}`;
          const password = randomBytes(9).toString('base64url');
          await this.users.save(m, {
            username,
            passwordHash: await hashPassword(password),
            displayName: p.name,
            email: `${username}@demo.panjin.gov.cn`,
            role: p.role,
            agencyId: saved.id,
          });
          credentials.push(`${a.name}\t${p.role}\t${username}\t${password}`);
        }
      }
      return true;
    });
    if (!seeded) return false;
    const text = `# 演示账号 demo accounts (agency, role, username, password)\n${credentials.join('\n')}\n`;
    await mkdir(this.config.varDir, { recursive: true });
    const file = join(this.config.varDir, 'demo-credentials.txt');
    await writeFile(file, text, { mode: 0o600 });
    process.stdout.write(`\n${text}(also written to ${file})\n\n`);
    this.logger.log(`demo city seeded: ${DEMO_AGENCIES.length} agencies, ${credentials.length} users`);
    return true;
  }
}
