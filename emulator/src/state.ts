// The emulator's in-memory HubSpot: portals, users, owners, CRM records, conversations, OAuth codes and
// tokens, counters. `createState` builds the shared context; the record operations live in
// `state/*.ts` and are re-exported here, so the CRM API and the control API call the same functions.
import { serializeChannelData } from './custom-channels/types.js';
import type { Settings } from './settings.js';
import { randomUUID } from 'node:crypto';
import { createIdSequence, type IdKind, type UniqueIds } from './support/ids.js';
import type { CrmChange } from './webhooks/types.js';
import { seedDemoPortal } from './state/seed.js';
import { deserializeData, serializeData } from './state/saved.js';
import { emptyData, type ChangeLogEntry, type StateContext } from './state/store.js';

export * from './state/auth.js';
export * from './state/conversations.js';
export * from './state/crm-objects.js';
export * from './state/portals.js';
export * from './state/properties.js';
export * from './state/seed.js';
export * from './state/telemetry.js';
export type * from './state/types.js';
export type { ChangeLogEntry, StateContext, StateData } from './state/store.js';

/** Options of {@link createState}. */
export interface StateOptions {
  appId: number;
  now(): number;
  settings(): Settings;
  /** Receives every change of a portal that has the app installed (the webhook sender). */
  onChange(change: CrmChange): void;
  /** The counter of ids that never repeat (shared with the webhook sender and workflow engine). */
  unique: UniqueIds;
  /** Saved state to continue from instead of the seeded demo portal. */
  saved?: { instanceId: string; ids: Partial<Record<IdKind, number>>; data: Record<string, unknown> };
}

/** The emulator's state and its lifecycle. */
export interface EmulatorState {
  /** Pass to the `state/*` operations. */
  readonly ctx: StateContext;
  /** Back to the seeded demo portal, with counters, logs and tokens cleared, under a new instance id. */
  reset(): void;
  /** Identifies this state's history: new on a fresh start and on every reset, kept across restarts. */
  instanceId(): string;
  /** The parts to save (see `state/saved.ts`). */
  exportSaved(): { instanceId: string; ids: Partial<Record<IdKind, number>>; data: Record<string, unknown> };
  /** Every published change, oldest first, with whether it went to the webhook sender. */
  changes(): ChangeLogEntry[];
  /** A JSON-friendly copy of everything (request log excluded: it has its own route). */
  dump(): Record<string, unknown>;
}

/**
 * Creates the state, seeded with the demo portal.
 * @param opts app id, clock, settings and the change hook
 * @returns the state
 */
export function createState(opts: StateOptions): EmulatorState {
  let seeding = false;
  const ctx: StateContext = {
    data: emptyData(),
    ids: createIdSequence(),
    unique: opts.unique,
    appId: opts.appId,
    now: opts.now,
    settings: opts.settings,
    publish(change) {
      if (seeding) return;
      // HubSpot sends events only for portals where the app is installed (an uninstall removes the
      // portal's subscriptions: https://developers.hubspot.com/changelog/public-beta-new-api-for-uninstalling-a-public-app-from-a-hubspot-account);
      // the change is still logged for inspection.
      const forwarded = ctx.data.portals.get(change.portalId)?.installed === true;
      ctx.data.changes.push({ change, forwarded });
      if (forwarded) opts.onChange(change);
    },
  };
  let instanceId: string = randomUUID();
  const reset = () => {
    const used = ctx.ids.snapshot();
    ctx.data = emptyData();
    ctx.ids = createIdSequence();
    seeding = true;
    try {
      seedDemoPortal(ctx);
    } finally {
      seeding = false;
    }
    // The demo records keep their ids; anything created later continues after the ids used before the
    // reset, so a record id the backend stored never names a different record.
    for (const [kind, next] of Object.entries(used) as [IdKind, number][]) ctx.ids.reserve(kind, next - 1);
    instanceId = randomUUID();
  };
  if (opts.saved) {
    ctx.data = deserializeData(opts.saved.data);
    ctx.ids = createIdSequence(opts.saved.ids);
    instanceId = opts.saved.instanceId;
  } else {
    reset();
  }
  return {
    ctx,
    reset,
    instanceId: () => instanceId,
    exportSaved: () => ({ instanceId, ids: ctx.ids.snapshot(), data: serializeData(ctx.data) }),
    changes: () => ctx.data.changes,
    dump: () => dumpData(ctx),
  };
}

function dumpData(ctx: StateContext): Record<string, unknown> {
  const d = ctx.data;
  return {
    now: ctx.now(),
    portals: [...d.portals.values()],
    users: [...d.users.values()],
    owners: [...d.owners.values()],
    contacts: [...d.objects.contacts.values()],
    tickets: [...d.objects.tickets.values()],
    notes: [...d.objects.notes.values()],
    associations: d.associations,
    threads: [...d.threads.values()],
    messages: Object.fromEntries(d.messages.entries()),
    codes: [...d.codes.values()],
    accessTokens: [...d.accessTokens.values()],
    refreshTokens: [...d.refreshTokens.values()],
    privateAppTokens: [...d.privateAppTokens.values()],
    installs: d.installs,
    uninstalls: d.uninstalls,
    changes: d.changes,
    counters: Object.fromEntries([...d.counters.entries()].map(([k, v]) => [String(k), v])),
    customChannels: serializeChannelData(d.customChannels),
  };
}
