// The emulator's in-memory HubSpot: portals, users, owners, CRM records, conversations, OAuth codes and
// tokens, counters. `createState` builds the shared context; the record operations live in
// `state/*.ts` and are re-exported here, so the CRM API and the control API call the same functions.
import type { Settings } from './settings.js';
import { createIdSequence } from './support/ids.js';
import type { CrmChange } from './webhooks/types.js';
import { seedDemoPortal } from './state/seed.js';
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
}

/** The emulator's state and its lifecycle. */
export interface EmulatorState {
  /** Pass to the `state/*` operations. */
  readonly ctx: StateContext;
  /** Back to the seeded demo portal, with counters, logs and tokens cleared. */
  reset(): void;
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
    appId: opts.appId,
    now: opts.now,
    settings: opts.settings,
    publish(change) {
      if (seeding) return;
      // HubSpot sends events only for portals where the app is installed (an uninstall removes the
      // portal's subscriptions, reference §3.7); the change is still logged for inspection.
      const forwarded = ctx.data.portals.get(change.portalId)?.installed === true;
      ctx.data.changes.push({ change, forwarded });
      if (forwarded) opts.onChange(change);
    },
  };
  const reset = () => {
    ctx.data = emptyData();
    ctx.ids = createIdSequence();
    seeding = true;
    try {
      seedDemoPortal(ctx);
    } finally {
      seeding = false;
    }
  };
  reset();
  return {
    ctx,
    reset,
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
  };
}
