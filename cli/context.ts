// What every `switchboard` command shares: where the backend and the emulator are, which keys to use
// (flags, then environment, then the local stack's files under DATA_DIR), and how to print.
import fs from 'node:fs';
import path from 'node:path';
import { createEmulatorClient, EmulatorClientError, type EmulatorClient } from '../emulator/client.js';
import { createSwitchboardClient, SwitchboardApiError, type SwitchboardClient } from '../client/index.js';

/** Global options (flags; each has an environment fallback). */
export interface GlobalOptions {
  url?: string;
  emulatorUrl?: string;
  apiKey?: string;
  adminKey?: string;
  dataDir?: string;
  json?: boolean;
}

/** What the CLI remembers between commands (the organization `org create` made). */
export interface Profile {
  baseUrl: string;
  organizationId: string;
  name: string;
  apiKey: string;
}

/** A problem the user can fix; printed as the message plus what to do, exit code 1. */
export class CliError extends Error {
  /** @param message what went wrong @param hint what to do about it */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The resolved settings and clients of one command run. */
export interface Context {
  baseUrl: string;
  emulatorUrl: string;
  json: boolean;
  dataDir: string;
  /** The vendor API client with the organization key (profile or --api-key). */
  api(): SwitchboardClient;
  /** The vendor API client with the admin key. */
  admin(): SwitchboardClient;
  emulator(): EmulatorClient;
  saveProfile(profile: Profile): string;
  /** Prints `human` lines, or `data` as JSON with --json. */
  print(human: string | string[], data: unknown): void;
  /** A progress line (human mode only, to stderr with --json so stdout stays JSON). */
  step(line: string): void;
}

/** Writes one line to stdout (the CLI's output; console.log is kept out of the codebase). */
export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Builds the context from global options and the environment. */
export function createContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const baseUrl = (opts.url ?? env.SWITCHBOARD_URL ?? env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  const emulatorUrl = (opts.emulatorUrl ?? env.SWITCHBOARD_EMULATOR_URL ?? `http://127.0.0.1:${env.EMULATOR_PORT ?? 4010}`).replace(/\/+$/, '');
  const dataDir = path.resolve(opts.dataDir ?? env.DATA_DIR ?? '.data');
  const profileFile = path.join(dataDir, 'cli-profile.json');
  const json = opts.json === true;

  const readJson = <T>(file: string): T | undefined => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined);
  const apiKey = (): string => {
    const key = opts.apiKey ?? env.SWITCHBOARD_API_KEY ?? readJson<Profile>(profileFile)?.apiKey;
    if (!key) throw new CliError('No organization API key.', 'Run `switchboard org create` first, or pass --api-key / set SWITCHBOARD_API_KEY.');
    return key;
  };
  const adminKey = (): string => {
    const key = opts.adminKey ?? env.SWITCHBOARD_ADMIN_KEY ?? env.ADMIN_API_KEY ?? readJson<{ adminApiKey?: string }>(path.join(dataDir, 'local-secrets.json'))?.adminApiKey;
    if (!key) throw new CliError('No admin key.', `Start the local stack once with \`npm start\` (it writes ${path.join(dataDir, 'local-secrets.json')}), or pass --admin-key / set SWITCHBOARD_ADMIN_KEY.`);
    return key;
  };

  return {
    baseUrl,
    emulatorUrl,
    json,
    dataDir,
    api: () => createSwitchboardClient({ baseUrl, apiKey: apiKey() }),
    admin: () => createSwitchboardClient({ baseUrl, adminKey: adminKey() }),
    emulator: () => createEmulatorClient(emulatorUrl),
    saveProfile(profile) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(profileFile, JSON.stringify(profile, null, 2) + '\n', { mode: 0o600 });
      return profileFile;
    },
    print(human, data) {
      if (json) writeLine(JSON.stringify(data, null, 2));
      else writeLine(([] as string[]).concat(human).join('\n'));
    },
    step(line) {
      if (json) console.error(line);
      else writeLine(line);
    },
  };
}

/** Turns any failure into a CliError with a hint (connection refused, API errors, emulator errors). */
export function explain(err: unknown, ctx: Pick<Context, 'baseUrl' | 'emulatorUrl'>): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof SwitchboardApiError) {
    const hint =
      err.status === 401
        ? 'Check the key: run `switchboard org create` (saves a new organization key) or pass --api-key.'
        : err.code === 'install_not_found'
          ? 'Connect HubSpot first: `switchboard install-link`, then open the link (or `switchboard connect` in local mode).'
          : err.code === 'portal_conflict'
            ? 'That HubSpot portal belongs to another organization: disconnect it there, or use another portal (--portal).'
            : err.status >= 500
              ? `The backend failed; see its log (the terminal running \`npm start\`).`
              : undefined;
    const details = err.details.map((d) => `\n  ${d.path || '(body)'}: ${d.message}`).join('');
    return new CliError(`${err.message} (${err.code}, HTTP ${err.status})${details}`, hint);
  }
  if (err instanceof EmulatorClientError) return new CliError(`The HubSpot emulator refused: ${err.message}`, err.status === 404 ? 'Check the record id (`--ticket`, `--contact`, `--portal`); `switchboard emulator reset` restores the seeded demo records.' : undefined);
  // fetch's network failures: TypeError("fetch failed") with the socket error as cause.
  const cause = (err as { cause?: { code?: string; port?: number; message?: string } }).cause;
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const which = cause?.port !== undefined && String(cause.port) === new URL(ctx.emulatorUrl).port ? `the HubSpot emulator at ${ctx.emulatorUrl}` : `the backend at ${ctx.baseUrl}`;
    return new CliError(`Cannot reach ${which} (${cause?.code ?? cause?.message ?? 'network error'}).`, 'Start the local stack with `npm start` (or pass --url / --emulator-url).');
  }
  return new CliError(err instanceof Error ? err.message : String(err));
}
