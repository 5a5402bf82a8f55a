import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalSecrets } from './config.js';

/** Result of ensureLocalSecrets: the secrets and whether they were just generated. */
export interface LocalSecretsResult {
  secrets: LocalSecrets;
  created: boolean;
  file: string;
}

/**
 * Loads `<dataDir>/local-secrets.json`, generating it (mode 0600) on first use. Local mode only:
 * these secrets protect a developer's machine, never a deployment, which must set every secret
 * in the environment (HubSpot mode refuses to start otherwise).
 */
export function ensureLocalSecrets(dataDir: string): LocalSecretsResult {
  const file = path.resolve(dataDir, 'local-secrets.json');
  if (fs.existsSync(file)) {
    return { secrets: JSON.parse(fs.readFileSync(file, 'utf8')) as LocalSecrets, created: false, file };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const secrets: LocalSecrets = {
    tokenEncryptionKey: crypto.randomBytes(32).toString('base64'),
    adminApiKey: `sb_admin_${crypto.randomBytes(24).toString('base64url')}`,
    emulatorClientId: crypto.randomUUID(),
    emulatorClientSecret: crypto.randomUUID(),
    emulatorAppId: 1000000 + crypto.randomInt(8_000_000),
  };
  // 'wx' fails if another process created it in the meantime; then we read theirs.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ensureLocalSecrets(dataDir);
    throw err;
  }
  return { secrets, created: true, file };
}
