// `npm run rotate-key`: re-seals every sealed value in the database with TOKEN_ENCRYPTION_KEY.
//
// Rotation procedure:
//   1. Deploy every process with the NEW key in TOKEN_ENCRYPTION_KEY and the OLD key listed in
//      TOKEN_ENCRYPTION_PREVIOUS_KEYS (new values are sealed with the new key; old ones still open).
//   2. Run `npm run rotate-key` with the same environment. It re-seals whatever is still sealed
//      with an old key, and exits 0 when nothing is left under an old key.
//   3. Remove the old key from TOKEN_ENCRYPTION_PREVIOUS_KEYS and deploy again.
//
// Sealed values are found, not listed: every bytea column of the public schema is scanned for values
// in the token-cipher format whose key id is not the current one, so a module that adds a sealed
// column is covered without touching this script. Each value is replaced with compare-and-set
// (`where col = <old value>`), so a concurrent refresh that wrote a new token is never overwritten.
import { sql, type Kysely } from 'kysely';
import { createDb } from '../db/database.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { createTokenCipher, keyIdFor, type TokenCipher } from '../platform/crypto/token-cipher.js';
import { moduleLogger, type Logger } from '../platform/logger.js';
import { configFromEnvOrExit } from '../server.js';

/** Outcome of one rotation run. */
export interface RotationReport {
  /** Re-sealed values per `table.column`. */
  resealed: Record<string, number>;
  /** Values sealed with a key this process does not know (cannot be re-sealed; a key is missing). */
  unknownKey: Record<string, number>;
}

// Layout of a sealed value (platform/crypto/token-cipher.ts): version byte 1, 8-byte key id, …
const VERSION = 1;
const KEY_ID_BYTES = 8;
const BATCH = 200;

/**
 * Re-seals, with the cipher's current key, every value sealed with one of its other known keys.
 * @param db any Kysely instance on the database
 * @returns counts per column
 */
export async function rotateSealedValues(db: Kysely<unknown>, cipher: TokenCipher, knownKeyIds: string[], log: Logger): Promise<RotationReport> {
  const report: RotationReport = { resealed: {}, unknownKey: {} };
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type = 'bytea' order by table_name, column_name`.execute(db);
  const current = Buffer.from(cipher.currentKeyId, 'hex');
  const known = new Set(knownKeyIds);
  for (const { table_name: table, column_name: column } of columns) {
    const name = `${table}.${column}`;
    const t = sql.table(table);
    const c = sql.ref(column);
    let resealed = 0;
    let unknown = 0;
    // Values in the sealed format whose key id is not the current key.
    const candidates = sql`${c} is not null and get_byte(${c}, 0) = ${VERSION} and length(${c}) > ${1 + KEY_ID_BYTES} and substring(${c} from 2 for ${KEY_ID_BYTES}) <> ${current}`;
    let skip: Buffer[] = [];
    for (;;) {
      const exclude = skip.length > 0 ? sql`and not (${c} = any(${skip}))` : sql``;
      const { rows } = await sql<{ value: Buffer }>`select ${c} as value from ${t} where ${candidates} ${exclude} limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const { value } of rows) {
        const keyId = value.subarray(1, 1 + KEY_ID_BYTES).toString('hex');
        if (!known.has(keyId)) {
          unknown += 1;
          skip = [...skip, value];
          continue;
        }
        let plaintext: string;
        try {
          plaintext = cipher.open(value);
        } catch {
          // Not ours after all (or tampered): leave it and say so.
          unknown += 1;
          skip = [...skip, value];
          continue;
        }
        const result = await sql`update ${t} set ${c} = ${cipher.seal(plaintext)} where ${c} = ${value}`.execute(db);
        resealed += Number(result.numAffectedRows ?? 0);
      }
    }
    if (resealed > 0) report.resealed[name] = resealed;
    if (unknown > 0) report.unknownKey[name] = unknown;
    log.info({ column: name, resealed, unknownKey: unknown }, 'column checked');
  }
  return report;
}

async function main(): Promise<number> {
  const { config, log: root } = configFromEnvOrExit(process.env);
  const log = moduleLogger(root, 'tokens');
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: `${config.dataDir}/postgres` });
  const { db } = createDb(config.databaseUrl ?? embedded!.url, { max: 2, applicationName: 'switchboard-rotate-key' });
  try {
    const cipher = createTokenCipher(config.tokenEncryptionKey, config.previousTokenEncryptionKeys);
    const knownKeyIds = [config.tokenEncryptionKey, ...config.previousTokenEncryptionKeys].map(keyIdFor);
    const report = await rotateSealedValues(db as unknown as Kysely<unknown>, cipher, knownKeyIds, log);
    const unknownTotal = Object.values(report.unknownKey).reduce((a, b) => a + b, 0);
    log.info({ currentKeyId: cipher.currentKeyId, ...report }, unknownTotal > 0 ? 'rotation incomplete: values sealed with an unknown key remain' : 'rotation complete');
    return unknownTotal > 0 ? 2 : 0;
  } finally {
    await db.destroy();
    await embedded?.stop();
    await new Promise<void>((resolve) => root.flush(() => resolve()));
  }
}

// Run only as a script (tests import rotateSealedValues).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  // Explicit exit: the code says whether anything is left under an old key.
  process.exit(await main());
}
