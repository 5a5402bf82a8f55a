import path from 'node:path';
import type { IntermediateRepresentation } from '@hubspot/project-parsing-lib/translate';
import type { IssueCollector } from './issues.js';
import { collectAppUrls, collectCalledUrls } from './manifest-urls.js';
import type { LoadedProfile } from './profiles.js';
import type { BackendProbe } from './types.js';

/** Profile variable holding the backend's public base URL; every URL HubSpot calls must be built from it. */
export const BACKEND_URL_VARIABLE = 'BACKEND_URL';
/** The install callback the backend serves; `redirectUrls` must contain `${BACKEND_URL}` + this. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';
/** The one profile allowed to point at `http://localhost`. */
export const LOCAL_PROFILE = 'local';

/** A profile whose translate succeeded, with its resolved intermediate representation. */
export interface TranslatedProfile {
  profile: LoadedProfile;
  ir: IntermediateRepresentation;
}

interface RouteRef {
  file: string;
  field: string;
  profile: string;
}

/**
 * The manifest ↔ backend contract: in every profile, each URL HubSpot calls must sit under
 * `${BACKEND_URL}`, and the app must list the OAuth callback and the backend origin. With `startBackend`, each
 * such path must also be a route the backend registers: an unsigned `POST` must not answer 404, and a 2xx is
 * reported too, since it means the route skips the signature check.
 */
export async function checkRoutes(
  projectDir: string,
  srcDir: string,
  translated: readonly TranslatedProfile[],
  startBackend: (() => Promise<BackendProbe>) | undefined,
  issues: IssueCollector,
): Promise<void> {
  const rel = (metaFilePath: string): string => path.relative(projectDir, path.join(srcDir, metaFilePath));
  const refsByPath = new Map<string, RouteRef[]>();
  for (const { profile, ir } of translated) {
    const base = backendBase(profile, issues);
    if (base === undefined) continue;
    checkAppUrls(ir, base, profile.name, rel, issues);
    for (const { metaFilePath, field, url } of collectCalledUrls(ir)) {
      if (!url.startsWith(`${base}/`)) {
        issues.add(rel(metaFilePath), `${field}: ${url} does not start with \${${BACKEND_URL_VARIABLE}}/ (${base}/), so HubSpot would not call the backend`, profile.name);
        continue;
      }
      const routePath = url.slice(base.length).split(/[?#]/)[0] ?? '/';
      const refs = refsByPath.get(routePath) ?? [];
      refs.push({ file: rel(metaFilePath), field, profile: profile.name });
      refsByPath.set(routePath, refs);
    }
  }
  if (startBackend && refsByPath.size > 0) await probeRoutes(refsByPath, startBackend, issues);
}

/** `${BACKEND_URL}` without a trailing slash, or `undefined` after recording why it is unusable. */
function backendBase(profile: LoadedProfile, issues: IssueCollector): string | undefined {
  const value = profile.variables[BACKEND_URL_VARIABLE];
  if (typeof value !== 'string' || !URL.canParse(value)) {
    issues.add(profile.file, `variables.${BACKEND_URL_VARIABLE} must be the backend's public base URL; the manifests build every URL HubSpot calls from it`);
    return undefined;
  }
  if (profile.name !== LOCAL_PROFILE && new URL(value).protocol !== 'https:') {
    issues.add(profile.file, `variables.${BACKEND_URL_VARIABLE} must use https: only the ${LOCAL_PROFILE} profile may point at http://localhost`);
  }
  return value.replace(/\/+$/, '');
}

function checkAppUrls(
  ir: IntermediateRepresentation,
  base: string,
  profile: string,
  rel: (metaFilePath: string) => string,
  issues: IssueCollector,
): void {
  const app = collectAppUrls(ir);
  if (!app) return; // PPL already reports a project without an app component.
  const trimmed = (urls: string[]): string[] => urls.map((url) => url.replace(/\/+$/, ''));
  if (!trimmed(app.redirectUrls).includes(`${base}${OAUTH_CALLBACK_PATH}`)) {
    issues.add(
      rel(app.metaFilePath),
      `config.auth.redirectUrls must contain \${${BACKEND_URL_VARIABLE}}${OAUTH_CALLBACK_PATH} (${base}${OAUTH_CALLBACK_PATH}), the backend's install callback`,
      profile,
    );
  }
  if (!trimmed(app.fetchUrls).includes(base)) {
    issues.add(rel(app.metaFilePath), `config.permittedUrls.fetch must contain \${${BACKEND_URL_VARIABLE}} (${base}), the origin the cards call`, profile);
  }
}

async function probeRoutes(
  refsByPath: Map<string, RouteRef[]>,
  startBackend: () => Promise<BackendProbe>,
  issues: IssueCollector,
): Promise<void> {
  let backend: BackendProbe;
  try {
    backend = await startBackend();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    issues.add('backend', `Could not build the backend app (createApp(buildOfflineAppDeps())) to check the manifest routes: ${reason}`);
    return;
  }
  try {
    for (const [routePath, refs] of refsByPath) {
      const status = await backend.post(routePath);
      const problem =
        status === 404
          ? `POST ${routePath} answers 404, so the backend registers no such route`
          : status >= 200 && status < 300
            ? `POST ${routePath} answers ${status} to an unsigned request; it must check HubSpot's signature (expected 401 signature_invalid)`
            : undefined;
      if (problem) for (const { file, field, profile } of refs) issues.add(file, `${field}: ${problem}`, profile);
    }
  } finally {
    await backend.close();
  }
}
