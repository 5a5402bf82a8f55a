// `npm run check:project:hs`: HubSpot's own `hs project validate`, offline and without a HubSpot login.
// The CLI refuses to start without a CLI config ("Config file not found"), and `validate` looks up each profile's
// accountId in it, so this writes a throwaway config listing those accounts with a placeholder token, points the CLI
// at it with `-c`, and loads the schema hook (register-schema-hooks.mjs) so PPL validates against the committed
// schemas instead of downloading HubSpot's. Nothing reaches HubSpot; the placeholder token is never sent.
// HubSpot's server schema stays the authority: run a real `hs project validate` with an account before a release.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const HS = path.join(REPO_ROOT, 'node_modules/.bin/hs');
const SCHEMA_HOOK = pathToFileURL(path.join(REPO_ROOT, 'scripts/project-check/register-schema-hooks.mjs')).href;
const USAGE = 'usage: npm run check:project:hs [-- [--project-dir <dir>] [hs project validate options, e.g. --profile production]]';

/**
 * Runs `hs project validate` on a project with a throwaway CLI config and the committed schemas.
 * @param argv `--project-dir <dir>` (default: this repository) first, then options passed on to `hs project validate`
 * @returns the CLI's exit code
 */
export function runHsValidateOffline(argv: readonly string[]): number {
  const [flag, dir, ...rest] = argv;
  const custom = flag === '--project-dir';
  if (custom && !dir) {
    console.error(USAGE);
    return 1;
  }
  const projectDir = custom ? path.resolve(dir as string) : REPO_ROOT;
  const hsArgs = custom ? rest : [...argv];
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-hs-offline-'));
  try {
    const configFile = path.join(configDir, 'hubspot.config.yml');
    fs.writeFileSync(configFile, offlineConfig(profileAccountIds(projectDir)), { mode: 0o600 });
    const run = spawnSync(HS, ['project', 'validate', '-c', configFile, ...hsArgs], {
      cwd: projectDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        // The CLI takes the project from INIT_CWD when set (npm sets it to where `npm run` started) before cwd.
        INIT_CWD: projectDir,
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${SCHEMA_HOOK}`].filter(Boolean).join(' '),
      },
    });
    if (run.error) {
      console.error(`✖ could not run ${HS}: ${run.error.message} (run npm install first)`);
      return 1;
    }
    return run.status ?? 1;
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
}

/** The accountIds of every `hsprofile.<name>.json` in the project's srcDir; broken files are left to the CLI. */
function profileAccountIds(projectDir: string): number[] {
  let srcDir: string;
  try {
    const { srcDir: rel } = JSON.parse(fs.readFileSync(path.join(projectDir, 'hsproject.json'), 'utf8')) as { srcDir?: unknown };
    srcDir = path.resolve(projectDir, typeof rel === 'string' ? rel : '.');
  } catch {
    return []; // The CLI reports the missing or broken hsproject.json itself.
  }
  const ids = new Set<number>();
  for (const name of fs.existsSync(srcDir) ? fs.readdirSync(srcDir) : []) {
    if (!/^hsprofile\.[^.]+\.json$/.test(name)) continue;
    try {
      const { accountId } = JSON.parse(fs.readFileSync(path.join(srcDir, name), 'utf8')) as { accountId?: unknown };
      if (typeof accountId === 'number' && Number.isSafeInteger(accountId) && accountId > 0) ids.add(accountId);
    } catch {
      // The CLI names the profile that does not parse.
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** A CLI config (YAML) with one placeholder personal-access-key account per id, its token valid far ahead. */
function offlineConfig(accountIds: readonly number[]): string {
  const ids = accountIds.length > 0 ? accountIds : [1];
  const accounts = ids.flatMap((id) => [
    `  - name: offline-${id}`,
    `    accountId: ${id}`,
    '    authType: personalaccesskey',
    '    personalAccessKey: offline-placeholder-not-a-key',
    '    env: prod',
    '    auth:',
    '      tokenInfo:',
    '        accessToken: offline-placeholder-not-a-token',
    "        expiresAt: '2999-01-01T00:00:00.000Z'",
  ]);
  return [`defaultAccount: ${ids[0]}`, 'allowUsageTracking: false', 'accounts:', ...accounts, ''].join('\n');
}

process.exitCode = runHsValidateOffline(process.argv.slice(2));
