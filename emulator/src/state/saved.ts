// The emulator's state as a JSON document and back: what `DATA_DIR/emulator-state.json` holds so a
// restart of `npm start` continues where it stopped. Maps become entry lists; the request log is left
// out (it is diagnostics, and grows with every call).
import { deserializeChannelData, serializeChannelData } from '../custom-channels/types.js';
import type { IdKind } from '../support/ids.js';
import type { ExecutionRecord } from '../workflows/types.js';
import { emptyData, type StateData } from './store.js';

/** Version of the saved document; a file with another version is ignored (the state starts fresh). */
export const SAVED_STATE_VERSION = 1;

/** The saved document. */
export interface SavedState {
  version: typeof SAVED_STATE_VERSION;
  /** Changes when the state starts fresh (first run, reset), so a client can tell it was reset. */
  instanceId: string;
  savedAt: string;
  /** Next value of each record id kind. */
  ids: Partial<Record<IdKind, number>>;
  /** Next value of the unique counter (event, callback and message ids). */
  uniqueNext: number;
  data: Record<string, unknown>;
  executions: ExecutionRecord[];
}

/**
 * Turns the in-memory data into JSON-friendly values.
 * @param data the state's data
 * @returns plain objects and arrays
 */
export function serializeData(data: StateData): Record<string, unknown> {
  return {
    portals: [...data.portals.entries()],
    users: [...data.users.entries()],
    owners: [...data.owners.entries()],
    objects: Object.fromEntries(Object.entries(data.objects).map(([type, map]) => [type, [...map.entries()]])),
    associations: data.associations,
    threads: [...data.threads.entries()],
    messages: [...data.messages.entries()],
    codes: [...data.codes.entries()],
    accessTokens: [...data.accessTokens.entries()],
    refreshTokens: [...data.refreshTokens.entries()],
    privateAppTokens: [...data.privateAppTokens.entries()],
    installs: data.installs,
    uninstalls: data.uninstalls,
    changes: data.changes,
    counters: [...data.counters.entries()],
    customChannels: serializeChannelData(data.customChannels),
  };
}

/**
 * Rebuilds the in-memory data from {@link serializeData}'s output.
 * @param saved the saved values
 * @returns the data (request log empty)
 * @throws Error when a part has the wrong shape
 */
export function deserializeData(saved: Record<string, unknown>): StateData {
  const data = emptyData();
  const objects = saved.objects as Record<string, unknown> | undefined;
  return {
    ...data,
    portals: new Map(entries(saved.portals)),
    users: new Map(entries(saved.users)),
    owners: new Map(entries(saved.owners)),
    objects: {
      contacts: new Map(entries(objects?.contacts)),
      tickets: new Map(entries(objects?.tickets)),
      notes: new Map(entries(objects?.notes)),
    },
    associations: list(saved.associations),
    threads: new Map(entries(saved.threads)),
    messages: new Map(entries(saved.messages)),
    codes: new Map(entries(saved.codes)),
    accessTokens: new Map(entries(saved.accessTokens)),
    refreshTokens: new Map(entries(saved.refreshTokens)),
    privateAppTokens: new Map(entries(saved.privateAppTokens)),
    installs: list(saved.installs),
    uninstalls: list(saved.uninstalls),
    changes: list(saved.changes),
    counters: new Map(entries(saved.counters)),
    customChannels: deserializeChannelData(saved.customChannels),
  };
}

/**
 * Checks a parsed file and returns it as a saved state, or undefined when it is not one this version
 * can read.
 */
export function asSavedState(value: unknown): SavedState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<SavedState>;
  if (v.version !== SAVED_STATE_VERSION || typeof v.instanceId !== 'string' || typeof v.data !== 'object' || v.data === null) return undefined;
  if (!Array.isArray(v.executions) || typeof v.uniqueNext !== 'number' || typeof v.ids !== 'object') return undefined;
  return v as SavedState;
}

// Entry lists and arrays are trusted to hold the emulator's own records: only the emulator writes the file.
function entries<K, V>(value: unknown): [K, V][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('saved emulator state: expected a list of entries');
  return value as [K, V][];
}

function list<T>(value: unknown): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('saved emulator state: expected a list');
  return value as T[];
}
