import path from 'node:path';
import { getAllHsProfiles, getHsProfileFilename, loadHsProfileFile, validateProfileVariables } from '@hubspot/project-parsing-lib/profiles';
import type { IssueCollector } from './issues.js';

/** A profile file that parsed and has the shape PPL expects. */
export interface LoadedProfile {
  name: string;
  /** Path from the project directory, e.g. `src/hsprofile.local.json`. */
  file: string;
  accountId: number;
  variables: Record<string, string | number | boolean>;
}

/**
 * Loads every `hsprofile.<name>.json` in srcDir (as `hs project validate` checks every profile) and records an
 * issue for each required profile that is missing and each file with a bad shape.
 * @returns the usable profiles, sorted by name
 */
export async function loadProfiles(
  projectDir: string,
  srcDir: string,
  requiredProfiles: readonly string[],
  issues: IssueCollector,
): Promise<LoadedProfile[]> {
  const found = (await getAllHsProfiles(srcDir)).sort();
  const fileOf = (name: string): string => path.relative(projectDir, path.join(srcDir, getHsProfileFilename(name)));
  for (const name of requiredProfiles.filter((required) => !found.includes(required))) {
    issues.add(fileOf(name), `Missing profile: the project must define the profiles ${requiredProfiles.join(', ')}`);
  }
  const loaded: LoadedProfile[] = [];
  for (const name of found) {
    const file = fileOf(name);
    const profile = readProfile(srcDir, name, file, issues);
    if (profile) loaded.push(profile);
  }
  return loaded;
}

function readProfile(srcDir: string, name: string, file: string, issues: IssueCollector): LoadedProfile | undefined {
  let content: unknown;
  try {
    content = loadHsProfileFile(srcDir, name);
  } catch (error) {
    issues.add(file, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (!isRecord(content)) {
    issues.add(file, 'A profile must be a JSON object: { "accountId": <number>, "variables": { … } }');
    return undefined;
  }
  const { accountId, variables = {} } = content;
  let usable = true;
  if (typeof accountId !== 'number' || !Number.isInteger(accountId) || accountId <= 0) {
    issues.add(file, "'accountId' must be a positive integer (the HubSpot account the profile deploys to)");
    usable = false;
  }
  if (!isRecord(variables)) {
    issues.add(file, "'variables' must be an object of string, number or boolean values");
    return undefined;
  }
  const { errors } = validateProfileVariables(variables as Record<string, string | number | boolean>, file);
  for (const message of errors) issues.add(file, message);
  if (!usable || errors.length > 0) return undefined;
  return { name, file, accountId: accountId as number, variables: variables as Record<string, string | number | boolean> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
