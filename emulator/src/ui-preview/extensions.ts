// The project's UI extensions as the preview needs them: app cards (`src/app/cards/*-hsmeta.json`)
// and the settings page (`src/app/settings/*-hsmeta.json`), with their entry files. Read on each
// request, so a manifest edited while the emulator runs is picked up.
// https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/app-cards/reference
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveVariables, type Variables } from '../manifests.js';

/** One card or the settings page. */
export interface UiExtension {
  uid: string;
  type: 'card' | 'settings';
  /** The card title (`config.name`); the app's name for the settings page. */
  name: string;
  /** `crm.record.sidebar`, `helpdesk.sidebar`, … or `settings`. */
  location: string;
  /** Lower-case plural object types of a card, e.g. `tickets`. */
  objectTypes: string[];
  /** Absolute path of the entry file. */
  entryFile: string;
}

/**
 * Lists the project's cards and settings page.
 * @param srcDir the project's `src/`
 * @param variables profile variables, substituted as HubSpot's project parser does
 * @returns the extensions, cards first, each folder in file-name order
 */
export function listUiExtensions(srcDir: string, variables: Variables): UiExtension[] {
  const found: UiExtension[] = [];
  for (const folder of ['cards', 'settings']) {
    const dir = path.join(srcDir, 'app', folder);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('-hsmeta.json')).sort()) {
      const extension = parseExtension(path.join(dir, file), srcDir, variables);
      if (extension) found.push(extension);
    }
  }
  return found;
}

function parseExtension(file: string, srcDir: string, variables: Variables): UiExtension | undefined {
  const raw = resolveVariables(JSON.parse(readFileSync(file, 'utf8')) as unknown, variables) as {
    uid?: unknown;
    type?: unknown;
    config?: { name?: unknown; entrypoint?: unknown; location?: unknown; objectTypes?: unknown };
  };
  if ((raw.type !== 'card' && raw.type !== 'settings') || typeof raw.uid !== 'string') return undefined;
  const config = raw.config ?? {};
  if (typeof config.entrypoint !== 'string') throw new Error(`${file}: config.entrypoint is missing`);
  // Entry points are paths from `src/`, e.g. `/app/cards/AiStateCard.tsx`.
  const entryFile = path.join(srcDir, config.entrypoint);
  const objectTypes = Array.isArray(config.objectTypes) ? config.objectTypes.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase()) : [];
  return {
    uid: raw.uid,
    type: raw.type,
    name: typeof config.name === 'string' ? config.name : raw.uid,
    location: raw.type === 'settings' ? 'settings' : typeof config.location === 'string' ? config.location : 'crm.record.sidebar',
    objectTypes,
    entryFile,
  };
}
