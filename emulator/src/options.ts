// createEmulator's options and how they resolve: credentials generated when unset, the app's scopes and
// redirect URLs read from the project's own manifests (profile `local`), HubSpot's defaults for the rest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectManifests, type ProjectManifests } from './manifests.js';
import type { OAuthApp } from './oauth/authorize-request.js';
import { defaultSettings, type RateLimitSettings, type Settings } from './settings.js';
import { newAppId, newClientId, newClientSecret, newDeveloperApiKey } from './support/ids.js';

/** Options of `createEmulator`. Everything is optional. */
export interface EmulatorOptions {
  /** Port to listen on (127.0.0.1); 0 (default) picks a free one. */
  port?: number;
  /** Injected clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** OAuth client id; generated when unset. */
  clientId?: string;
  /** OAuth client secret; generated when unset. */
  clientSecret?: string;
  /** App id; generated when unset. */
  appId?: number;
  /** The developer API key (`hapikey`) of the app's developer account; generated when unset. */
  developerApiKey?: string;
  /** Redirect URLs accepted on top of the manifest's `auth.redirectUrls`. */
  redirectUrls?: string[];
  /** Authorization-code lifetime. Default 60 s. */
  codeTtlSeconds?: number;
  /** Access-token lifetime (`expires_in`). Default 1800 s. */
  accessTokenLifetimeSeconds?: number;
  /** Issue a new refresh token on every refresh and revoke the old one. Default off. */
  refreshTokenRotation?: boolean;
  /** The origin that replaces `${BACKEND_URL}` in the manifests. Default: the profile's value. */
  backendUrl?: string;
  /** The project's `src/` folder. Default: this repository's `src/`. */
  srcDir?: string;
  /** Profile whose variables are applied. Default `local`. */
  profile?: string;
  /** Rate-limit numbers; defaults 110 per 10 s per app per portal, search 5/s. */
  rateLimit?: Partial<RateLimitSettings>;
  /** Multiplies the outbound parts' real waits (webhook retries, timeouts). Default 1. */
  timeScale?: number;
  /**
   * Attempt timeout of workflow-action calls in real milliseconds, NOT multiplied by `timeScale`.
   * Default: HubSpot's 20 s times `timeScale`. Tests that shrink time pass the real 20 s here, since a
   * shrunken deadline (200 ms at 0.01) turns a loaded machine's slow answer into a FAILED execution.
   */
  workflowActionTimeoutMs?: number;
  /** Turn webhook delivery off (events are still logged under /_emulator/changes). Default on. */
  webhooks?: boolean;
  /** Where loud lines go (unknown routes, unexpected errors). Default `console.warn`. */
  warn?: (message: string) => void;
  /** Folder where the state is saved and read back on start (`npm start` passes DATA_DIR). Default: none, the state lives in memory only. */
  dataDir?: string;
}

/** Options after defaults were applied and the manifests were read. */
export interface ResolvedOptions {
  port: number;
  now: () => number;
  app: OAuthApp;
  manifests: ProjectManifests;
  settings: Settings;
  timeScale: number;
  workflowActionTimeoutMs?: number;
  webhooks: boolean;
  warn: (message: string) => void;
  dataDir?: string;
}

/** This repository's `src/` (the HubSpot project), found relative to this file. */
export const repoSrcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * Applies defaults and reads the project's manifests.
 * @param opts the caller's options
 * @returns resolved options
 * @throws Error when the manifests cannot be read
 */
export function resolveOptions(opts: EmulatorOptions): ResolvedOptions {
  const srcDir = opts.srcDir ?? repoSrcDir;
  const manifests = loadProjectManifests({ srcDir, profile: opts.profile ?? 'local', ...(opts.backendUrl !== undefined ? { backendUrl: opts.backendUrl } : {}) });
  const app: OAuthApp = {
    clientId: opts.clientId ?? newClientId(),
    clientSecret: opts.clientSecret ?? newClientSecret(),
    appId: opts.appId ?? newAppId(),
    name: readAppName(srcDir) ?? manifests.app.uid,
    requiredScopes: manifests.app.requiredScopes,
    optionalScopes: manifests.app.optionalScopes,
    redirectUrls: [...new Set([...manifests.app.redirectUrls, ...(opts.redirectUrls ?? [])])],
    developerApiKey: opts.developerApiKey ?? newDeveloperApiKey(),
  };
  return {
    port: opts.port ?? 0,
    now: opts.now ?? Date.now,
    app,
    manifests,
    settings: {
      accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds ?? defaultSettings.accessTokenLifetimeSeconds,
      refreshTokenRotation: opts.refreshTokenRotation ?? defaultSettings.refreshTokenRotation,
      codeTtlSeconds: opts.codeTtlSeconds ?? defaultSettings.codeTtlSeconds,
      rateLimit: { ...defaultSettings.rateLimit, ...opts.rateLimit },
    },
    timeScale: opts.timeScale ?? 1,
    ...(opts.workflowActionTimeoutMs !== undefined ? { workflowActionTimeoutMs: opts.workflowActionTimeoutMs } : {}),
    webhooks: opts.webhooks ?? true,
    warn: opts.warn ?? ((message) => console.warn(message)),
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
  };
}

// The consent page shows the app's display name; the manifests loader keeps only the uid.
function readAppName(srcDir: string): string | undefined {
  try {
    const raw = JSON.parse(readFileSync(path.join(srcDir, 'app', 'app-hsmeta.json'), 'utf8')) as { config?: { name?: unknown } };
    return typeof raw.config?.name === 'string' ? raw.config.name : undefined;
  } catch {
    return undefined;
  }
}
