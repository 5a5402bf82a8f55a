// Profile files (src/hsprofile.<name>.json) as HubSpot's project parser applies them: `${var}` substituted in `uid`
// and inside `config`, and a value that is exactly "${var}" keeps the variable's own type, so
// `"isPublished": "${PUBLISH_ACTIONS}"` becomes a boolean (@hubspot/project-parsing-lib src/lib/profiles.js).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A profile's variables: HubSpot allows string, number and boolean values. */
export type Variables = Record<string, string | number | boolean>;

/** What the emulator takes from a profile file. */
export interface LoadedProfile {
  variables: Variables;
  /** The HubSpot account the profile deploys to: the developer's test portal. */
  accountId?: number;
}

/**
 * Substitutes `${var}` in every string of a JSON value.
 * A string that is exactly `"${var}"` takes the variable's own type; unknown variables are left as is.
 * @param value a parsed JSON value
 * @param variables the profile's variables
 * @returns a new value with variables substituted
 */
export function resolveVariables(value: unknown, variables: Variables): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole?.[1] !== undefined && Object.hasOwn(variables, whole[1])) return variables[whole[1]];
    return value.replace(/\$\{([^}]+)\}/g, (match, name: string) =>
      Object.hasOwn(variables, name) ? String(variables[name]) : match,
    );
  }
  if (Array.isArray(value)) return value.map((item) => resolveVariables(item, variables));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, variables)]));
  }
  return value;
}

/**
 * Reads `<srcDir>/hsprofile.<profile>.json` (default `local`, which may be absent); `backendUrl` replaces `BACKEND_URL`.
 * @throws Error when a named profile is missing or its `variables` is not an object
 */
export function loadProfile(opts: { srcDir: string; profile?: string; backendUrl?: string }): LoadedProfile {
  const name = opts.profile ?? 'local';
  const file = path.join(opts.srcDir, `hsprofile.${name}.json`);
  let variables: Variables = {};
  let accountId: number | undefined;
  if (existsSync(file)) {
    const profile = readJson(file);
    const raw = isRecord(profile) ? profile.variables : undefined;
    if (raw !== undefined && !isRecord(raw)) throw new Error(`${file}: "variables" must be an object`);
    variables = Object.fromEntries(
      Object.entries(raw ?? {}).filter(
        (entry): entry is [string, string | number | boolean] =>
          ['string', 'number', 'boolean'].includes(typeof entry[1]),
      ),
    );
    if (isRecord(profile) && typeof profile.accountId === 'number') accountId = profile.accountId;
  } else if (opts.profile !== undefined) {
    throw new Error(`profile "${opts.profile}" not found: ${file}`);
  }
  if (opts.backendUrl !== undefined) variables.BACKEND_URL = opts.backendUrl.replace(/\/+$/, '');
  return accountId === undefined ? { variables } : { variables, accountId };
}

/** Parses a JSON file. @throws Error naming the file when it cannot be read or parsed */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (cause) {
    throw new Error(`cannot read ${file}`, { cause });
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
