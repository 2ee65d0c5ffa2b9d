import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from './bootstrap';
import { PersonalDataCipher } from './common/crypto/personal-data-cipher';
import { dataSourceOptions } from './infra/database/data-source-options';
import { rotateKeys } from './infra/key-rotation/key-rotation';

/**
 * `npm run rotate-keys` (or `node dist/rotate-keys.js`): with the new ENCRYPTION_KEY and HASH_KEY set, and the
 * previous ones as ENCRYPTION_KEY_OLD and HASH_KEY_OLD, re-seals and re-hashes everything that can be, in batches,
 * while the service runs (every process must already run with the same four keys). Prints the counts as JSON.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.encryptionKeyOld && !config.hashKeyOld) {
    process.stderr.write('rotate-keys: set ENCRYPTION_KEY_OLD and/or HASH_KEY_OLD to the previous keys (ENCRYPTION_KEY and HASH_KEY are the new ones)\n');
    process.exit(2);
  }
  if (!config.databaseUrl) {
    process.stderr.write('rotate-keys: DATABASE_URL is required\n');
    process.exit(2);
  }
  const batchSize = Number(process.env.ROTATE_BATCH_SIZE ?? 200);
  const ds = new DataSource(dataSourceOptions(config.databaseUrl, {}, 2));
  await ds.initialize();
  try {
    const counts = await rotateKeys(ds, new PersonalDataCipher(config), {
      batchSize: Number.isInteger(batchSize) && batchSize > 0 ? batchSize : 200,
      progress: (table, read) => process.stderr.write(`rotate-keys: ${table}: ${read} read\n`),
    });
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`rotate-keys failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
