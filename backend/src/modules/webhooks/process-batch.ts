// Processing a batch of inbox events: route each portal once, make the handlers' HubSpot reads
// before any transaction, then apply the whole batch in ONE transaction, in id order, each event
// behind its own savepoint so a failing event never undoes its neighbours. A failed event gets its
// attempt counted and a next-attempt time (backoff 1, 2, 4, 8, 16 s), then is parked as dead; the
// others commit. Each event row is locked and re-checked as pending inside the transaction, so an
// event is applied exactly once whatever claimed it (the claim loop, the takeover fast path, a
// process that lost its claim in a database restart).
import { sql } from 'kysely';
import type { OrganizationSettings } from '../settings/settings.service.js';
import { runWithContext } from '../../platform/context.js';
import { AppError, isRetryable } from '../../platform/errors.js';
import { prepareBatchView, UndecidedBatch, withLinksRead, type Routed } from './batch-view.js';
import { applyEvent, prepareEvent, type HandlerDeps, type HandlerResult, type Prepared } from './handle-event.js';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import { describeError } from './park-dead.js';
import type { ProcessingDeps } from './recovery.js';
import { routePortal, type Route } from './route-portal.js';
import { webhooksRepository as repo, type InboxEvent } from './webhooks.repository.js';
import type { Trx } from './webhooks.ports.js';

/**
 * The retry schedule of a failing event: attempts in all, and the first delay (doubled each time).
 * Configuration read at each failure (a test may shorten it).
 */
export const INBOX_RETRY = { maxAttempts: 6, firstDelayMs: 1_000 };

// HubSpot reads of one batch made at once, at most (the HubSpot budget paces them further).
const PREPARE_CONCURRENCY = 8;

type Finished = HandlerResult | { status: 'unroutable'; outcome: string };
type Done = Parameters<typeof queue.finishMany>[1][number];
type Step = { ok: true; prepared: Prepared } | { ok: false; error: unknown };
type Applied = { id: number; result: Finished } | { id: number; failed: { dead: boolean; error: unknown; retryMs?: number } } | { id: number; skipped: true };

/** What a batch did. */
export interface BatchOutcome {
  /** Events applied (or found done). */
  finished: number;
  /** Events that failed and will be retried; `retryInMs` is the soonest of them. */
  retrying: number;
  retryInMs?: number;
}

/** Thrown inside the transaction to redo it with savepoints once one event failed. */
class RedoWithSavepoints extends Error {
  constructor(
    readonly inboxId: number,
    readonly error: unknown,
  ) {
    super('an event of the batch failed');
  }
}

/** How the claim loop runs a batch (the fast path gives neither). */
export interface BatchClaim {
  /** Inside the transaction, the portals whose claim still holds (others are left alone). */
  stillHeld(trx: Trx): Promise<Set<number>>;
  /** Awaited after the HubSpot reads, before the transaction opens (no row is locked yet). */
  beforeTransaction(): Promise<unknown>;
}

/**
 * Processes a batch of events, in id order, in one transaction.
 * @param claim the claim loop's checks; without it (the fast path) every event of the batch is processed at once
 * @throws a database error when the transaction could not run (every event stays pending and due)
 */
export async function processBatch(deps: ProcessingDeps, events: readonly InboxEvent[], claim?: BatchClaim): Promise<BatchOutcome> {
  if (events.length === 0) return { finished: 0, retrying: 0 };
  const routes = new Map<number, Route>();
  for (const portalId of new Set(events.map((e) => e.portalId))) routes.set(portalId, await routePortal(deps, portalId));
  const orgOf = (e: InboxEvent) => {
    const route = routes.get(e.portalId);
    return route && 'organizationId' in route ? route.organizationId : undefined;
  };
  const routed: Routed[] = events.flatMap((e) => {
    const organizationId = orgOf(e);
    return organizationId ? [{ event: e, organizationId }] : [];
  });
  const settingsMemo = withSettingsMemo(deps);
  const handlerDeps = settingsMemo.deps;
  const readDeps = await withLinksRead(handlerDeps, routed);
  // HubSpot reads happen here, before the transaction: no connection or lock is held meanwhile.
  const stepList = await mapLimited(events, PREPARE_CONCURRENCY, async (e): Promise<Step> => {
    const organizationId = orgOf(e);
    if (!organizationId) return { ok: true, prepared: undefined };
    try {
      return { ok: true, prepared: await runWithContext({ portalId: e.portalId, organizationId }, () => prepareEvent(e, organizationId, readDeps)) };
    } catch (error) {
      return { ok: false, error };
    }
  });
  const steps = new Map(events.map((e, i) => [e.id, stepList[i]!]));
  await claim?.beforeTransaction();
  const run = (savepoints: boolean, failedFirst?: RedoWithSavepoints) =>
    deps.db.transaction().execute(async (trx) => {
      const held = claim ? await claim.stillHeld(trx) : undefined;
      const mine = held ? events.filter((e) => held.has(e.portalId)) : events;
      const locked = await queue.lockPending(trx, mine);
      const out: Applied[] = [];
      const done: Done[] = [];
      // The first try decides what it can for the whole batch up front (batch-view.ts); the second,
      // after a failure, goes event by event behind savepoints, as the rollback of one event must
      // also undo its watermark.
      let applyDeps = handlerDeps;
      if (!savepoints) {
        const applying = toApply(routed, locked, steps);
        await settingsMemo.prefill(trx, applying.map((r) => r.organizationId));
        applyDeps = { ...handlerDeps, batch: await prepareBatchView(trx, handlerDeps, applying) };
      }
      for (const e of mine) {
        const event = locked.get(e.id);
        if (!event) {
          out.push({ id: e.id, skipped: true });
          continue;
        }
        // The event that failed the first pass has had its attempt: it is recorded, not run again.
        const step: Step = failedFirst?.inboxId === e.id ? { ok: false, error: failedFirst.error } : steps.get(e.id)!;
        const route = routes.get(event.portalId)!;
        out.push(await applyOne(deps, trx, event, route, step, applyDeps, savepoints, done));
      }
      // The processed marks of the whole batch, in one statement, in the same transaction as the effects.
      await queue.finishMany(trx, done);
      return out;
    });
  let applied: Applied[];
  try {
    applied = await run(false);
  } catch (err) {
    if (err instanceof UndecidedBatch) {
      applied = await run(true);
    } else {
      if (!(err instanceof RedoWithSavepoints)) throw err;
      deps.log.debug({ err: err.error, inboxId: err.inboxId }, 'webhook event failed inside its batch; the batch runs again with a savepoint per event');
      applied = await run(true, err);
    }
  }
  return afterCommit(deps, applied);
}

// The events the first try applies: still pending, routed, and with a handler step left to run.
function toApply(routed: readonly Routed[], locked: ReadonlyMap<number, InboxEvent>, steps: ReadonlyMap<number, Step>): Routed[] {
  return routed.flatMap((r) => {
    const event = locked.get(r.event.id);
    const step = steps.get(r.event.id);
    return event && step?.ok && !(step.prepared && 'final' in step.prepared) ? [{ event, organizationId: r.organizationId }] : [];
  });
}

// One event inside the batch's transaction. Without savepoints (the first try) a failing handler
// aborts the whole transaction, which then runs again with a savepoint per event.
async function applyOne(deps: ProcessingDeps, trx: Trx, event: InboxEvent, route: Route, step: Step, handlerDeps: HandlerDeps, savepoints: boolean, done: Done[]): Promise<Applied> {
  const organizationId = 'organizationId' in route ? route.organizationId : undefined;
  if (!step.ok) return { id: event.id, failed: await recordFailure(trx, event, step.error, organizationId) };
  if ('unroutable' in route) {
    done.push({ id: event.id, status: 'unroutable', outcome: route.unroutable, organizationId: undefined });
    return { id: event.id, result: { status: 'unroutable', outcome: route.unroutable } };
  }
  if (savepoints) await SAVEPOINT.execute(trx);
  try {
    const result = await runWithContext({ portalId: event.portalId, organizationId: route.organizationId }, () => applyEvent(trx, event, route.organizationId, handlerDeps, step.prepared));
    done.push({ id: event.id, status: result.status, outcome: result.outcome, organizationId: route.organizationId });
    if (savepoints) await RELEASE.execute(trx);
    return { id: event.id, result };
  } catch (error) {
    if (!savepoints) throw new RedoWithSavepoints(event.id, error);
    await ROLLBACK_TO.execute(trx);
    deps.log.debug({ err: error, inboxId: event.id }, 'webhook event failed inside its batch; its neighbours go on');
    return { id: event.id, failed: await recordFailure(trx, event, error, organizationId) };
  }
}

const SAVEPOINT = sql`savepoint inbox_event`;
const RELEASE = sql`release savepoint inbox_event`;
const ROLLBACK_TO = sql`rollback to savepoint inbox_event`;

// A failed attempt: parked at once when retrying cannot help (no connection, refused by HubSpot) or
// after the last attempt; otherwise due again after the backoff.
async function recordFailure(trx: Trx, event: InboxEvent, error: unknown, organizationId: string | undefined): Promise<{ dead: boolean; error: unknown; retryMs?: number }> {
  const attempt = event.attempts + 1;
  if ((error instanceof AppError && !isRetryable(error)) || attempt >= INBOX_RETRY.maxAttempts) {
    const outcome = attempt >= INBOX_RETRY.maxAttempts && isRetryable(error) ? 'retries exhausted' : 'failed without retry';
    await repo.updateEventOutcome(trx, event.id, { status: 'dead', outcome, organizationId, lastError: describeError(error), processed: true });
    await trx.updateTable('webhook_events').set({ attempts: attempt }).where('id', '=', event.id).execute();
    return { dead: true, error };
  }
  // Jittered so events failing together do not come back together.
  const retryMs = Math.round(INBOX_RETRY.firstDelayMs * 2 ** event.attempts * (0.9 + Math.random() * 0.2));
  await queue.scheduleRetry(trx, event.id, { error: describeError(error), organizationId, delayMs: retryMs });
  return { dead: false, error, retryMs };
}

// After commit: metrics, the conversations' wake-up for the transitions made, and how long a human
// takeover took from HubSpot's occurredAt to our pause.
function afterCommit(deps: ProcessingDeps, applied: readonly Applied[]): BatchOutcome {
  const outcome: BatchOutcome = { finished: 0, retrying: 0 };
  const transitions = [];
  for (const a of applied) {
    if ('skipped' in a) {
      deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
      outcome.finished++;
    } else if ('failed' in a) {
      if (a.failed.dead) {
        deps.metrics.webhookEventsProcessed.inc({ outcome: 'dead' });
        deps.metrics.webhookDeadEvents.inc();
        deps.log.warn({ inboxId: a.id, code: a.failed.error instanceof AppError ? a.failed.error.code : undefined }, 'webhook event failed for good; parked as dead');
      } else {
        deps.metrics.webhookEventsProcessed.inc({ outcome: 'retry' });
        outcome.retrying++;
        outcome.retryInMs = Math.min(outcome.retryInMs ?? Infinity, a.failed.retryMs ?? 0);
      }
    } else {
      outcome.finished++;
      const r = a.result;
      deps.metrics.webhookEventsProcessed.inc({ outcome: r.outcome.startsWith('stale') ? 'stale' : r.status });
      if ('transitions' in r && r.transitions) {
        transitions.push(...r.transitions);
        if (r.takeover) measureTakeover(deps, r);
      }
    }
  }
  deps.conversations.afterCommit(transitions.length > 0 ? transitions : undefined);
  return outcome;
}

function measureTakeover(deps: ProcessingDeps, result: HandlerResult): void {
  const now = deps.clock.now();
  for (const t of result.transitions ?? []) {
    if (t.changed && t.transition) deps.metrics.ownerChangeToPauseSeconds.observe({ source: t.transition.source }, Math.max(0, now - t.transition.occurredAt.getTime()) / 1000);
  }
}

// Settings are read once per organization per batch inside its transaction, not once per event
// (the first try reads those of all its organizations in one statement: `prefill`).
// A read before the transaction (next to a HubSpot read, which can take seconds) stays fresh, so a
// setting changed meanwhile is not answered from an older read.
function withSettingsMemo(deps: HandlerDeps): { deps: HandlerDeps; prefill(trx: Trx, organizationIds: readonly string[]): Promise<void> } {
  const memo = new Map<string, Promise<OrganizationSettings>>();
  const getSettings: HandlerDeps['settings']['getSettings'] = (organizationId, trx) => {
    if (!trx) return deps.settings.getSettings(organizationId);
    let found = memo.get(organizationId);
    if (!found) {
      found = deps.settings.getSettings(organizationId, trx);
      found.catch(() => memo.delete(organizationId));
      memo.set(organizationId, found);
    }
    return found;
  };
  const prefill = async (trx: Trx, organizationIds: readonly string[]) => {
    const missing = [...new Set(organizationIds)].filter((id) => !memo.has(id));
    if (missing.length === 0) return;
    const read = await deps.settings.getSettingsMany(missing, trx);
    for (const [id, settings] of read) memo.set(id, Promise.resolve(settings));
  };
  return { deps: { ...deps, settings: { getSettings, getSettingsMany: deps.settings.getSettingsMany } }, prefill };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
