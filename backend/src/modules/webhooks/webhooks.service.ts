// Webhook intake and processing. Intake (on the request path) only verifies, validates and stores:
// the whole batch in one INSERT … ON CONFLICT DO NOTHING plus one job per new event, in one
// transaction, and the route answers 200 only after it committed. Processing runs in pg-boss workers:
// route portal → organization, run the handler, mark the event done, all in one transaction.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotRecordsApi } from '../../hubspot/records-api.js';
import type { Clock } from '../../platform/clock.js';
import { runWithContext } from '../../platform/context.js';
import { AppError, statusByCode } from '../../platform/errors.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { Metrics } from '../metrics/metrics.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { applyEvent, prepareEvent, type HandlerResult, type Prepared, type ThreadAssigneePort } from './webhooks.handlers.js';
import { processTakeoversNow, type FastPathDeps } from './webhooks.fast-path.js';
import { createProcessEventJob, createSweepInboxJob } from './webhooks.jobs.js';
import { acceptedRow, dedupeKeyOf, portalOf, REFUSED_AT_INTAKE, refusedRow, type ReadBatch } from './webhooks.intake.js';
import { webhooksRepository as repo, type InboxEntry, type InboxEvent } from './webhooks.repository.js';
import type { InboxStatus } from './webhooks.table.js';

export type { InboxEntry, InboxEvent };
export { dedupeKeyOf, REFUSED_AT_INTAKE };

/** Result of an intake. */
export interface IntakeResult {
  received: number;
  /** Valid events newly stored. */
  stored: number;
  /** Events refused at intake, newly stored as dead rows. */
  refused: number;
  duplicates: number;
}

/** What routing needs from the connections module. */
export interface PortalRouter {
  findByPortalId(portalId: number): Promise<{ organizationId: string; status: string } | undefined>;
}

/** The webhooks service. */
export interface WebhooksService {
  /**
   * Stores a batch, atomically: each valid event (duplicates skipped) with one job, each refused
   * event as a dead row with its reason and text (webhooks.intake.ts).
   * @throws AppError service_unavailable when they could not be stored (HubSpot will retry)
   */
  acceptBatch(batch: ReadBatch): Promise<IntakeResult>;
  /** Job body: processes one inbox event exactly once. @throws on failure (the job retries) */
  processEvent(inboxId: number, attempt: number): Promise<void>;
  /** After the last retry: parks the event as dead with its error. */
  parkDead(inboxId: number, error: unknown): Promise<void>;
  /** Re-queues pending events received before `olderThanMs` ago (0 = all); at start-up and every minute. */
  recoverPending(olderThanMs: number): Promise<number>;
  /** The sweep job's body: recovery of stuck events and retention. */
  sweepInbox(): Promise<void>;
  /** An organization's inbox events (e.g. the dead ones), oldest first. */
  listEvents(organizationId: string, opts: { status?: InboxStatus; after?: number; limit?: number }): Promise<InboxEntry[]>;
  /** An organization's latest deliveries, newest first (the connection page's troubleshooting panel). */
  listRecentEvents(organizationId: string, limit: number): Promise<InboxEntry[]>;
  readonly jobs: JobDefinition<never>[];
  /** The sweep, for scheduling. */
  readonly sweepJob: JobDefinition<never>;
}

/** Dependencies of the webhooks service. */
export interface WebhooksDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  connections: PortalRouter;
  conversations: ConversationsService;
  settings: Pick<SettingsService, 'getSettings'>;
  hubspot: Pick<HubSpotRecordsApi, 'readTicketOwner' | 'readThread' | 'readThreadMessage'>;
  /** The help desk's handling of its threads' assignee changes. */
  threadAssignee?: ThreadAssigneePort;
}

// Pending longer than this, an event's job is presumed lost (longer than the whole retry schedule).
const STUCK_AFTER_MS = 5 * 60_000;
// Finished events are kept this long for troubleshooting, then deleted.
const RETENTION_MS = 14 * 24 * 60 * 60_000;
const RECOVER_BATCH = 1_000;
// How often events interrupted by a database outage are offered a new job until the database answers.
const UNRECORDED_RETRY_MS = 1_000;

/** Builds the webhooks service. */
export function createWebhooksService(deps: WebhooksDeps): WebhooksService {
  // eslint-disable-next-line prefer-const -- assigned once below; the job definitions above close over it
  let service: WebhooksService;
  const processJob = createProcessEventJob(() => service);
  const sweepJob = createSweepInboxJob(() => service);

  type Route = { organizationId: string } | { unroutable: string };

  async function route(portalId: number): Promise<Route> {
    const connection = await deps.connections.findByPortalId(portalId);
    if (!connection) return { unroutable: 'unknown portal' };
    // Stored and kept for troubleshooting, never retried: a later connection does not replay them.
    if (connection.status === 'disconnected') return { unroutable: 'portal disconnected' };
    return { organizationId: connection.organizationId };
  }

  async function finish(trx: Transaction<Database>, event: InboxEvent, routed: Route, prepared: Prepared): Promise<HandlerResult | { status: 'unroutable'; outcome: string }> {
    if ('unroutable' in routed) {
      await repo.updateEventOutcome(trx, event.id, { status: 'unroutable', outcome: routed.unroutable, processed: true });
      return { status: 'unroutable', outcome: routed.unroutable };
    }
    const result = await applyEvent(trx, event, routed.organizationId, deps, prepared);
    await repo.updateEventOutcome(trx, event.id, { status: result.status, outcome: result.outcome, organizationId: routed.organizationId, lastError: null, processed: true });
    return result;
  }

  // Events whose failed attempt could not be recorded because the database was unreachable: pg-boss
  // could not record the failure either, so their job stays "active" until it expires (minutes). They
  // get a fresh job as soon as the database answers again; a second job is harmless (processing
  // locks the event and skips it once finished).
  const unrecorded = new Set<number>();
  let requeueTimer: NodeJS.Timeout | undefined;
  const requeueUnrecordedSoon = (inboxId: number) => {
    unrecorded.add(inboxId);
    if (requeueTimer) return;
    requeueTimer = setTimeout(() => {
      const ids = [...unrecorded];
      deps.jobs.sendMany(processJob, ids.map((id) => ({ inboxId: id }))).then(
        () => {
          requeueTimer = undefined;
          ids.forEach((id) => unrecorded.delete(id));
          deps.log.info({ count: ids.length }, 'webhook events interrupted by a database outage re-queued');
          const next = unrecorded.values().next();
          if (!next.done) requeueUnrecordedSoon(next.value);
        },
        () => {
          requeueTimer = undefined;
          requeueUnrecordedSoon(ids[0]!);
        },
      );
    }, UNRECORDED_RETRY_MS);
    requeueTimer.unref();
  };
  const interrupted =
    (inboxId: number) =>
    (err: unknown): never => {
      requeueUnrecordedSoon(inboxId);
      throw err;
    };

  const fastPath: FastPathDeps = {
    organizationOf: async (portalId) => {
      const routed = await route(portalId);
      return 'organizationId' in routed ? routed.organizationId : undefined;
    },
    activeLinks: (organizationId, records) => deps.conversations.activeLinks(organizationId, records),
    pendingIdsByDedupeKey: (keys) => repo.findPendingIdsByDedupeKeys(deps.db, keys),
    processEvent: (inboxId) => service.processEvent(inboxId, 1),
    dedupeKeyOf,
    log: deps.log,
  };

  service = Object.freeze({
    jobs: [processJob, sweepJob] as JobDefinition<never>[],
    sweepJob: sweepJob as JobDefinition<never>,

    async acceptBatch(batch: ReadBatch) {
      const accepted = batch.events.flatMap((c) => (c.ok ? [c] : []));
      const refused = batch.events.flatMap((c) => (c.ok ? [] : [c]));
      if (batch.events.length === 0) return { received: 0, stored: 0, refused: 0, duplicates: 0 };
      let ids: number[];
      let refusedIds: number[];
      try {
        // A refused event is filed under its portal's organization when it names one, so the
        // organization sees it where it sees its other dead events. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#W-18
        const organizations = new Map<number, string | null>();
        for (const portalId of new Set(refused.flatMap((r) => portalOf(r.raw) ?? []))) {
          const routed = await route(portalId);
          organizations.set(portalId, 'organizationId' in routed ? routed.organizationId : null);
        }
        [ids, refusedIds] = await deps.db.transaction().execute(async (trx) => {
          const inserted = await repo.insertEvents(trx, accepted.map((c) => acceptedRow(c.event, c.raw)));
          const dead = await repo.insertEvents(trx, refused.map((r) => refusedRow(r, organizations.get(portalOf(r.raw) ?? 0) ?? null)));
          await deps.jobs.sendMany(processJob, inserted.map((inboxId) => ({ inboxId })), { trx: trx as unknown as Transaction<never> });
          return [inserted, dead];
        });
      } catch (err) {
        // Never 200 for something not stored: HubSpot retries non-2xx answers.
        throw new AppError('service_unavailable', 'Webhook events could not be stored; retry later', { cause: err });
      }
      if (refusedIds.length > 0) {
        deps.metrics.webhookDeadEvents.inc(refusedIds.length);
        // Reasons name fields, never values (a value may be personal data).
        deps.log.warn({ refused: refusedIds.length, reasons: refused.map((r) => r.reason.slice(0, 200)) }, 'webhook events refused at intake; kept as dead inbox rows');
      }
      deps.jobs.wake(processJob.queue);
      // Takeovers of active conversations are processed now, after the answer (webhooks.fast-path.ts).
      if (ids.length > 0) void processTakeoversNow(accepted.map((c) => c.event), fastPath);
      return { received: batch.events.length, stored: ids.length, refused: refusedIds.length, duplicates: batch.events.length - ids.length - refusedIds.length };
    },

    async processEvent(inboxId: number, attempt: number) {
      const stored = await repo.findEventById(deps.db, inboxId).catch(interrupted(inboxId));
      if (!stored || stored.status !== 'pending') {
        deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
        return;
      }
      // Routed before the handler's transaction, so a failure is still recorded against the organization
      // (its troubleshooting API shows the event, dead or retrying).
      const routed = await route(stored.portalId).catch(interrupted(inboxId));
      const organizationId = 'organizationId' in routed ? routed.organizationId : undefined;
      let result: Awaited<ReturnType<typeof finish>> | 'skipped';
      try {
        // HubSpot reads happen here, before the transaction: no connection or lock is held meanwhile.
        const prepared = organizationId ? await runWithContext({ portalId: stored.portalId, organizationId }, () => prepareEvent(stored, organizationId, deps)) : undefined;
        result = await deps.db.transaction().execute(async (trx) => {
          const event = await repo.lockEventById(trx, inboxId);
          // Already handled (a duplicate job, a recovery re-queue): exactly-once per stored event.
          if (!event || event.status !== 'pending') return 'skipped' as const;
          return runWithContext({ portalId: event.portalId, organizationId }, () => finish(trx, event, routed, prepared));
        });
      } catch (err) {
        const message = describeError(err);
        if (err instanceof AppError && statusByCode[err.code] < 500) {
          // Retrying cannot help (no connection, refused by HubSpot): park it now, visibly.
          await repo.updateEventOutcome(deps.db, inboxId, { status: 'dead', outcome: 'failed without retry', organizationId, lastError: message, processed: true }).catch(interrupted(inboxId));
          deps.metrics.webhookEventsProcessed.inc({ outcome: 'dead' });
          deps.metrics.webhookDeadEvents.inc();
          deps.log.warn({ inboxId, code: err.code }, 'webhook event failed and cannot succeed on retry; parked as dead');
          return;
        }
        await repo.recordFailedAttempt(deps.db, inboxId, { error: message, organizationId }).catch(() => requeueUnrecordedSoon(inboxId));
        deps.metrics.webhookEventsProcessed.inc({ outcome: 'retry' });
        throw err;
      }
      if (result === 'skipped') {
        deps.metrics.webhookEventsProcessed.inc({ outcome: 'duplicate' });
        return;
      }
      deps.metrics.webhookEventsProcessed.inc({ outcome: result.outcome.startsWith('stale') ? 'stale' : result.status });
      if ('transitions' in result && result.transitions) {
        deps.conversations.afterCommit(result.transitions);
        if (result.takeover) {
          const now = deps.clock.now();
          for (const t of result.transitions) {
            if (t.changed && t.transition) deps.metrics.ownerChangeToPauseSeconds.observe({ source: t.transition.source }, Math.max(0, now - t.transition.occurredAt.getTime()) / 1000);
          }
        }
      } else {
        deps.conversations.afterCommit();
      }
      deps.log.debug({ inboxId, attempt, status: result.status, outcome: result.outcome }, 'webhook event processed');
    },

    async parkDead(inboxId: number, error: unknown) {
      await repo.updateEventOutcome(deps.db, inboxId, { status: 'dead', outcome: 'retries exhausted', lastError: describeError(error), processed: true });
      deps.metrics.webhookEventsProcessed.inc({ outcome: 'dead' });
      deps.metrics.webhookDeadEvents.inc();
    },

    async recoverPending(olderThanMs: number) {
      const ids = await repo.findPendingIds(deps.db, { receivedBefore: new Date(deps.clock.now() - olderThanMs), limit: RECOVER_BATCH });
      if (ids.length === 0) return 0;
      // A second job for an event is harmless: processing locks the row and skips finished events.
      await deps.jobs.sendMany(processJob, ids.map((inboxId) => ({ inboxId })));
      deps.log.info({ count: ids.length }, 'pending webhook events re-queued');
      return ids.length;
    },

    async sweepInbox() {
      await service.recoverPending(STUCK_AFTER_MS);
      const deleted = await repo.deleteFinishedBefore(deps.db, new Date(deps.clock.now() - RETENTION_MS));
      if (deleted > 0) deps.log.info({ deleted }, 'finished webhook events past retention deleted');
    },

    listEvents: (organizationId: string, opts: { status?: InboxStatus; after?: number; limit?: number }) =>
      repo.findEventsByOrganization(deps.db, organizationId, { status: opts.status, afterId: opts.after, limit: opts.limit ?? 100 }),
    listRecentEvents: (organizationId: string, limit: number) => repo.findRecentEventsByOrganization(deps.db, organizationId, limit),
  });

  deps.metrics.addScrapeGauge('switchboard_webhook_inbox_lag_seconds', 'Age of the oldest webhook event not yet processed (0 when none)', async () => {
    const { oldestPendingAt } = await repo.inboxStats(deps.db);
    return oldestPendingAt ? Math.max(0, deps.clock.now() - oldestPendingAt.getTime()) / 1000 : 0;
  });
  deps.metrics.addScrapeGauge('switchboard_webhook_inbox_pending', 'Webhook events stored and not yet processed', async () => (await repo.inboxStats(deps.db)).pending);
  deps.metrics.addScrapeGauge('switchboard_webhook_dead_events', 'Webhook events parked as dead (stored)', async () => (await repo.inboxStats(deps.db)).dead);
  return service;
}

// The error text kept on the inbox row: the code and message of an AppError (safe by construction),
// and the cause's message for our own diagnostics; never a stack.
function describeError(err: unknown): string {
  if (err instanceof AppError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.code}: ${err.message}${cause}`.slice(0, 1000);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
