// The manifest ↔ backend half of the project check: every URL HubSpot calls, resolved through
// each profile, must be a route the backend registers. The first test runs against the real backend app; the rest
// hand checkProject a small in-memory backend to pin down each message.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { loadProjectCheck } from './helpers/load-project-check.js';
import { copyProject, REPO_ROOT, type ProjectCopy } from './helpers/project-copy.js';

const { checkProject } = await loadProjectCheck();
const { startBackendProbe } = await import('../../scripts/project-check/backend-probe.js');
type BackendProbe = Awaited<ReturnType<typeof startBackendProbe>>;

const APP = 'src/app/app-hsmeta.json';
const WEBHOOKS = 'src/app/webhooks/webhooks-hsmeta.json';
const PAUSE_AI = 'src/app/workflow-actions/pause-ai-hsmeta.json';
const BOTH = ['local', 'production'];
const MANIFEST_PATHS = [
  '/hubspot/webhooks',
  '/hubspot/actions/pause-ai',
  '/hubspot/actions/request-handoff',
  '/hubspot/actions/options/team',
  '/hubspot/actions/resume-ai',
  '/hubspot/actions/send-to-ai',
];

/** A backend that answers 401 on the given paths and 404 elsewhere, and records what it was asked. */
function fakeBackend(statusByPath: Record<string, number>): { start: () => Promise<BackendProbe>; posted: string[] } {
  const posted: string[] = [];
  return {
    posted,
    start: async () => ({
      post: async (path) => {
        posted.push(path);
        return statusByPath[path] ?? 404;
      },
      close: async () => {},
    }),
  };
}
const allRoutesGuarded = (): Record<string, number> => Object.fromEntries(MANIFEST_PATHS.map((path) => [path, 401]));

describe('checkProject route cross-check against the real backend', () => {
  test('when the real project is checked against createApp(buildOfflineAppDeps()), then every manifest URL is a registered route', async () => {
    const result = await checkProject({ projectDir: REPO_ROOT, startBackend: startBackendProbe });

    expect(result.issues).toStrictEqual([]);
    expect(result.ok).toBe(true);
    // A hang guard, not a speed check: loading the whole backend took over the default 30 s once on
    // a machine at load average 20.
  }, 180_000);
});

describe('checkProject route cross-check', () => {
  let project: ProjectCopy;
  beforeEach(async () => {
    project = await copyProject();
  });
  afterEach(async () => {
    await project.remove();
  });

  test('when every path answers 401, then it passes and probes each path once for both profiles', async () => {
    const backend = fakeBackend(allRoutesGuarded());

    const result = await checkProject({ projectDir: project.dir, startBackend: backend.start });

    expect(result.issues).toStrictEqual([]);
    expect([...backend.posted].sort()).toStrictEqual([...MANIFEST_PATHS].sort());
  });

  test('when the webhooks targetUrl path answers 404, then the file, field and path are named', async () => {
    await project.editJson<{ config: { settings: { targetUrl: string } } }>(WEBHOOKS, (meta) => {
      meta.config.settings.targetUrl = '${BACKEND_URL}/hubspot/webhook';
    });

    const result = await checkProject({ projectDir: project.dir, startBackend: fakeBackend(allRoutesGuarded()).start });

    expect(result.issues).toStrictEqual([
      { file: WEBHOOKS, message: 'config.settings.targetUrl: POST /hubspot/webhook answers 404, so the backend registers no such route', profiles: BOTH },
    ]);
  });

  test('when a route answers 2xx to an unsigned request, then it is reported as unguarded', async () => {
    const backend = fakeBackend({ ...allRoutesGuarded(), '/hubspot/actions/pause-ai': 200 });

    const result = await checkProject({ projectDir: project.dir, startBackend: backend.start });

    expect(result.issues).toStrictEqual([
      {
        file: PAUSE_AI,
        message:
          "config.actionUrl: POST /hubspot/actions/pause-ai answers 200 to an unsigned request; it must check HubSpot's signature (expected 401 signature_invalid)",
        profiles: BOTH,
      },
    ]);
  });

  test('when an actionUrl does not use ${BACKEND_URL}, then the profiles it escapes are named', async () => {
    await project.editJson<{ config: { actionUrl: string } }>(PAUSE_AI, (meta) => {
      meta.config.actionUrl = 'https://elsewhere.example.com/hubspot/actions/pause-ai';
    });

    const result = await checkProject({ projectDir: project.dir, startBackend: fakeBackend(allRoutesGuarded()).start });

    expect(result.issues).toStrictEqual([
      {
        file: PAUSE_AI,
        message:
          'config.actionUrl: https://elsewhere.example.com/hubspot/actions/pause-ai does not start with ${BACKEND_URL}/ (http://localhost:3000/), so HubSpot would not call the backend',
        profiles: ['local'],
      },
      {
        file: PAUSE_AI,
        message:
          'config.actionUrl: https://elsewhere.example.com/hubspot/actions/pause-ai does not start with ${BACKEND_URL}/ (https://switchboard.example.com/), so HubSpot would not call the backend',
        profiles: ['production'],
      },
    ]);
  });

  test('when redirectUrls lacks the OAuth callback and permittedUrls.fetch the backend, then both are named', async () => {
    await project.editJson<{ config: { auth: { redirectUrls: string[] }; permittedUrls: { fetch: string[] } } }>(APP, (meta) => {
      meta.config.auth.redirectUrls = ['${BACKEND_URL}/oauth/callbacks'];
      meta.config.permittedUrls.fetch = [];
    });

    const result = await checkProject({ projectDir: project.dir, startBackend: fakeBackend(allRoutesGuarded()).start });

    expect(result.issues.map(({ message, profiles }) => ({ message, profiles }))).toStrictEqual([
      {
        message: "config.auth.redirectUrls must contain ${BACKEND_URL}/oauth/callback (http://localhost:3000/oauth/callback), the backend's install callback",
        profiles: ['local'],
      },
      { message: 'config.permittedUrls.fetch must contain ${BACKEND_URL} (http://localhost:3000), the origin the cards call', profiles: ['local'] },
      {
        message:
          "config.auth.redirectUrls must contain ${BACKEND_URL}/oauth/callback (https://switchboard.example.com/oauth/callback), the backend's install callback",
        profiles: ['production'],
      },
      { message: 'config.permittedUrls.fetch must contain ${BACKEND_URL} (https://switchboard.example.com), the origin the cards call', profiles: ['production'] },
    ]);
    expect(new Set(result.issues.map(({ file }) => file))).toStrictEqual(new Set([APP]));
  });

  test('when the production profile points at http://localhost, then the profile file is named', async () => {
    await project.editJson<{ variables: Record<string, string> }>('src/hsprofile.production.json', (profile) => {
      profile.variables.BACKEND_URL = 'http://localhost:3000';
    });

    const result = await checkProject({ projectDir: project.dir, startBackend: fakeBackend(allRoutesGuarded()).start });

    expect(result.issues).toStrictEqual([
      {
        file: 'src/hsprofile.production.json',
        message: 'variables.BACKEND_URL points at localhost (http://localhost:3000): only the local profile may',
        profiles: [],
      },
      {
        file: 'src/hsprofile.production.json',
        message: 'variables.BACKEND_URL must use https: only the local profile may point at http://localhost',
        profiles: [],
      },
    ]);
  });

  test('when the backend cannot be built, then the check fails and says why', async () => {
    const result = await checkProject({
      projectDir: project.dir,
      startBackend: async () => {
        throw new Error('DATABASE_URL is not a URL');
      },
    });

    expect(result.issues).toStrictEqual([
      {
        file: 'backend',
        message: 'Could not build the backend app (createApp(buildOfflineAppDeps())) to check the manifest routes: DATABASE_URL is not a URL',
        profiles: [],
      },
    ]);
  });
});
