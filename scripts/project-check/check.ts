import { getIntermediateRepresentationSchema as pplSchemaSource } from '@hubspot/project-parsing-lib/schema';
import { getIntermediateRepresentationSchema as committedSchemaSource } from './committed-schemas.mjs';
import { checkHsMetaFiles } from './hsmeta-files.js';
import { createIssueCollector } from './issues.js';
import { checkProfileRules } from './profile-rules.js';
import { loadProfiles } from './profiles.js';
import { loadProjectConfig } from './project-config.js';
import { checkRoutes, type TranslatedProfile } from './routes.js';
import { translateProfile } from './translate-profile.js';
import type { ProjectCheckOptions, ProjectCheckResult } from './types.js';

export type { BackendProbe, ProjectCheckOptions, ProjectCheckResult, ProjectIssue } from './types.js';

/** Thrown when PPL would fetch its schemas from HubSpot instead of using the committed ones. */
export const SCHEMA_SOURCE_NOT_REPLACED =
  "@hubspot/project-parsing-lib still fetches component schemas from HubSpot: load it after scripts/project-check/register-schema-hooks.mjs (or, in Jest, jest.unstable_mockModule its src/lib/schemas.js), and check that PPL's internal file layout did not change";

/**
 * Checks the HubSpot project offline with HubSpot's own parser: hsproject.json, every profile's translate with
 * validation against the committed schemas, misplaced files, uids, the per-profile rules (every workflow action
 * published in production, localhost only in the local profile), the manifest URLs against `${BACKEND_URL}` and
 * (with `startBackend`) against the routes the backend registers.
 * @throws {Error} SCHEMA_SOURCE_NOT_REPLACED when the schema replacement is not in effect
 */
export async function checkProject(options: ProjectCheckOptions): Promise<ProjectCheckResult> {
  // Without the replacement PPL would try the network with the profile's account id and fail on an auth error,
  // which reads like a project problem. Fail on the setup instead.
  if ((pplSchemaSource as unknown) !== committedSchemaSource) throw new Error(SCHEMA_SOURCE_NOT_REPLACED);

  const { projectDir, requiredProfiles = ['local', 'production'], startBackend } = options;
  const issues = createIssueCollector();
  const project = loadProjectConfig(projectDir, issues);
  if (!project) return { ok: false, profiles: [], translated: [], issues: issues.list() };

  const { srcDir, config } = project;
  await checkHsMetaFiles(projectDir, srcDir, issues);
  const profiles = await loadProfiles(projectDir, srcDir, requiredProfiles, issues);
  const translated: TranslatedProfile[] = [];
  for (const profile of profiles) {
    const ir = await translateProfile({ projectDir, srcDir, platformVersion: config.platformVersion }, profile, issues);
    if (ir) translated.push({ profile, ir });
  }
  await checkProfileRules(projectDir, srcDir, profiles, translated, issues);
  await checkRoutes(projectDir, srcDir, translated, startBackend, issues);

  return {
    ok: issues.size === 0,
    profiles: profiles.map(({ name }) => name),
    translated: translated.map(({ profile, ir }) => ({
      profile: profile.name,
      componentCount: Object.keys(ir.intermediateNodesIndexedByUid).length,
    })),
    issues: issues.list(),
  };
}
