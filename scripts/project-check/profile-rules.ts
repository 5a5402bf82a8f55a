import fs from 'node:fs';
import path from 'node:path';
import { getProjectMetadata } from '@hubspot/project-parsing-lib/projects';
import type { IssueCollector } from './issues.js';
import type { LoadedProfile } from './profiles.js';
import type { TranslatedProfile } from './routes.js';

/** The profile `hs project upload` deploys to the listed app; every workflow action must be published there. */
export const PRODUCTION_PROFILE = 'production';
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#P-11
/** The one profile that may point at localhost: it drives the emulator on this machine and is never uploaded. */
export const LOCALHOST_PROFILE = 'local';

// localhost by name or loopback address, as a host inside a URL or a bare value.
const LOCALHOST = /(^|[^a-z0-9-])(localhost|127(\.\d{1,3}){3}|\[::1\])([^a-z0-9-]|$)/i;

/**
 * Rules that depend on the profile, beyond HubSpot's schema: in production every workflow action is published
 * (HubSpot shows an unpublished action only in the developer's test accounts:
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/custom-workflow-actions), and nothing
 * but the local profile points at localhost, neither through a profile variable nor through a value written into a
 * component file.
 */
export async function checkProfileRules(
  projectDir: string,
  srcDir: string,
  profiles: readonly LoadedProfile[],
  translated: readonly TranslatedProfile[],
  issues: IssueCollector,
): Promise<void> {
  const rel = (file: string): string => path.relative(projectDir, path.resolve(srcDir, file));
  for (const { profile, ir } of translated.filter(({ profile }) => profile.name === PRODUCTION_PROFILE)) {
    for (const node of Object.values(ir.intermediateNodesIndexedByUid)) {
      if (node.componentType !== 'WORKFLOW_ACTION') continue;
      const published = (node.config as { isPublished?: unknown } | undefined)?.isPublished;
      if (published !== true) {
        issues.add(
          rel(node.metaFilePath),
          `config.isPublished is ${JSON.stringify(published ?? null)} in the ${PRODUCTION_PROFILE} profile: HubSpot shows an unpublished action only in the developer's test accounts, so customers who install the app would never see it`,
          profile.name,
        );
      }
    }
  }
  for (const profile of profiles.filter(({ name }) => name !== LOCALHOST_PROFILE)) {
    for (const [name, value] of Object.entries(profile.variables)) {
      if (typeof value === 'string' && LOCALHOST.test(value)) {
        issues.add(profile.file, `variables.${name} points at localhost (${value}): only the ${LOCALHOST_PROFILE} profile may`);
      }
    }
  }
  for (const file of (await getProjectMetadata(srcDir)).hsMetaFiles) {
    for (const field of localhostFields(readConfig(file), 'config')) {
      issues.add(
        path.relative(projectDir, path.resolve(file)),
        `${field} is written with localhost in the file itself, so every profile gets it; only the ${LOCALHOST_PROFILE} profile may point at localhost: build it from a profile variable`,
      );
    }
  }
}

/** The component's `config` as written, before profile variables; `undefined` when the file does not parse. */
function readConfig(file: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { config?: unknown }).config;
  } catch {
    return undefined; // PPL reports the invalid JSON.
  }
}

/** Dotted paths (PPL's style) of the strings under `value` that mention localhost. */
function localhostFields(value: unknown, at: string): string[] {
  if (typeof value === 'string') return LOCALHOST.test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => localhostFields(item, `${at}.${index}`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => localhostFields(item, `${at}.${key}`));
  }
  return [];
}
