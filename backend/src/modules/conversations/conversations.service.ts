// Conversations and the AI state machine. Every transition runs in one transaction with its audit
// row, its outbox event and (for handoffs and workflow/card pauses and resumes) a queued note
// write-back, so either all of it happened or none did. Webhook handlers call the *InTransaction
// functions inside their own transaction, which also marks the inbox event processed.
import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { HubSpotRecordsApi } from '../../hubspot/records-api.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, statusByCode } from '../../platform/errors.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { EventsService } from '../events/events.service.js';
import type { Metrics } from '../metrics/metrics.service.js';
import { decideAiTransition, type AiAction } from './ai-state.js';
import { createWriteNoteJob } from './conversations.jobs.js';
import {
  conversationsRepository as repo,
  type Conversation,
  type ConversationFields,
  type NoteWriteback,
  type RecordFilter,
  type Transition,
} from './conversations.repository.js';
import type { AiState, TransitionSource } from './conversations.table.js';
import { buildNoteBody } from './note-body.js';
import { createWritebackWaiting, waitsForConnection } from './writeback-waiting.js';

export type { Conversation, ConversationFields, NoteWriteback, RecordFilter, Transition };
export type { AiState, TransitionSource };

/** Who asks for a transition, and why. */
export interface TransitionInput {
  source: TransitionSource;
  /** Who: a HubSpot owner/user (`hubspot-owner:123`), a workflow (`workflow:456`), a vendor user, … */
  actor?: string | null;
  /** Free text shown in the audit trail and the HubSpot note. */
  reason?: string | null;
  /** When the cause happened (HubSpot's `occurredAt` for webhooks); default: now. */
  occurredAt?: Date;
  /** Handoffs only: the team humans are asked from. */
  team?: { id: string; name: string } | null;
  /** Extra facts kept in the audit row (not sent to the vendor). */
  details?: Record<string, unknown>;
}

/** Outcome of one transition request. `changed` is false when the state already was the target. */
export interface TransitionResult {
  conversation: Conversation;
  changed: boolean;
  transition: Transition | null;
}

/** Conversations and their AI state (`services.conversations`). */
export interface ConversationsService {
  /**
   * Creates or updates the conversation with this external id (only the given fields change).
   * @returns the conversation and whether it was created
   */
  upsertByExternalId(organizationId: string, input: { externalId: string } & ConversationFields): Promise<{ conversation: Conversation; created: boolean }>;
  /** @throws AppError not_found */
  getConversation(organizationId: string, conversationId: string): Promise<Conversation>;
  /**
   * Conversations linked to every given HubSpot record, most recently updated first. Inside a
   * transaction pass it as `trx`: a second pool connection per caller can exhaust the pool.
   */
  findByRecord(organizationId: string, filter: RecordFilter, opts?: { limit?: number; trx?: Transaction<Database> }): Promise<Conversation[]>;
  /** Which of these tickets and threads are linked to a conversation whose AI is active (one query). */
  activeLinks(organizationId: string, records: { ticketIds: number[]; threadIds: number[] }): Promise<{ ticketIds: number[]; threadIds: number[] }>;
  /** @throws AppError not_found | invalid_transition (a handoff is pending) */
  pause(organizationId: string, conversationId: string, input: TransitionInput): Promise<TransitionResult>;
  /** @throws AppError not_found */
  resume(organizationId: string, conversationId: string, input: TransitionInput): Promise<TransitionResult>;
  /** @throws AppError not_found */
  requestHandoff(organizationId: string, conversationId: string, input: TransitionInput): Promise<TransitionResult>;
  /** The audit trail with the note write-backs. @throws AppError not_found */
  getHistory(organizationId: string, conversationId: string): Promise<{ transitions: Transition[]; writebacks: NoteWriteback[] }>;
  /** The latest transition of each given conversation (ids of other organizations are ignored), by conversation id. */
  lastTransitions(organizationId: string, conversationIds: readonly string[]): Promise<Map<string, Transition>>;

  /** One transition inside the caller's transaction. Call {@link afterCommit} once committed. */
  transitionInTransaction(trx: Transaction<Database>, organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult>;
  /**
   * Pauses every *active* conversation linked to the record (a paused one stays as it is; a pending
   * handoff is left alone: humans are already asked to take over).
   */
  pauseLinkedInTransaction(trx: Transaction<Database>, organizationId: string, filter: RecordFilter, input: TransitionInput): Promise<TransitionResult[]>;
  /** Clears a deleted ticket's or contact's link. @returns how many conversations changed */
  unlinkInTransaction(trx: Transaction<Database>, organizationId: string, link: 'ticket' | 'contact', objectId: number): Promise<number>;
  /** Records a thread's HubSpot status; a close also emits `conversation.closed`. @returns conversations changed */
  recordThreadStatusInTransaction(trx: Transaction<Database>, organizationId: string, threadId: number, status: string, at: Date): Promise<number>;
  /**
   * Erases a contact's personal data from conversations, their audit trail, write-backs and stored
   * events; records the erasure and emits `contact.erased`.
   */
  eraseContactInTransaction(trx: Transaction<Database>, organizationId: string, portalId: number, contactId: number): Promise<{ conversationsUnlinked: number }>;
  /** After a commit: counts the transitions and wakes this process's push and write-back workers. */
  afterCommit(results?: readonly TransitionResult[]): void;

  /**
   * After the organization (re)connects, in that transaction: its write-backs waiting for the
   * connection are queued once more, or failed when the portal changed (their records are elsewhere).
   */
  resumeWaitingWritebacksInTransaction(trx: Transaction<Database>, organizationId: string, opts: { portalChanged: boolean }): Promise<void>;
  /** The latest write-backs waiting for a reconnect or failed, newest first (connection page). */
  listWritebacksNeedingAttention(organizationId: string, limit: number): Promise<NoteWriteback[]>;
  /** Job body: writes one note to HubSpot; a refusal caused by the connection's state parks it until the reconnect. */
  writeNote(writebackId: number): Promise<void>;
  onWriteNoteExhausted(writebackId: number, error: unknown): Promise<void>;
  readonly jobs: JobDefinition<never>[];
}

/** Dependencies of the conversations service. */
export interface ConversationsDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  events: EventsService;
  /** The typed HubSpot adapter (token vault, retries, rate budget underneath). */
  hubspot: Pick<HubSpotRecordsApi, 'createNote'>;
  /** The organization's connection status (`connected`, `needs_reauth`, …), read after parking a write-back. */
  connectionStatus: (organizationId: string) => Promise<string>;
}

const EVENT_BY_STATE: Record<AiState, string> = { paused: 'ai.paused', active: 'ai.resumed', handoff_requested: 'ai.handoff_requested' };

const id = (value: number | null) => (value === null ? null : String(value));

/** Builds the conversations service. */
export function createConversationsService(deps: ConversationsDeps): ConversationsService {
  // eslint-disable-next-line prefer-const -- assigned once below; the job definitions above close over it
  let service: ConversationsService;
  const writeNoteJob = createWriteNoteJob(() => service);

  const notFound = () => new AppError('not_found', 'Conversation not found');

  const waiting = createWritebackWaiting(deps, writeNoteJob);

  async function transitionInTransaction(trx: Transaction<Database>, organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
    const conversation = await repo.lockConversationById(trx, organizationId, conversationId);
    if (!conversation) throw notFound();
    return applyLocked(trx, conversation, action, input);
  }

  // The conversation row is locked by the caller.
  async function applyLocked(trx: Transaction<Database>, conversation: Conversation, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
    const decision = decideAiTransition(conversation.aiState, action);
    if (decision.kind === 'unchanged') return { conversation, changed: false, transition: null };
    if (decision.kind === 'invalid') {
      throw new AppError('invalid_transition', decision.message, { details: [{ path: 'aiState', message: `is ${conversation.aiState}` }] });
    }
    const occurredAt = input.occurredAt ?? new Date(deps.clock.now());
    const details = { ...input.details, ...(input.team ? { team: input.team } : {}) };
    const updated = await repo.updateAiState(trx, conversation.id, decision.to);
    const transition = await repo.insertTransition(trx, {
      conversation_id: conversation.id,
      organization_id: conversation.organizationId,
      from_state: conversation.aiState,
      to_state: decision.to,
      source: input.source,
      actor: input.actor ?? null,
      reason: input.reason ?? null,
      details: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
      occurred_at: occurredAt,
    });
    const wantsNote = action === 'handoff' || input.source === 'workflow' || input.source === 'card';
    if (wantsNote && (updated.ticketId !== null || updated.contactId !== null)) {
      const writeback = await repo.insertWriteback(trx, {
        organizationId: updated.organizationId,
        conversationId: updated.id,
        transitionId: transition.id,
        ticketId: updated.ticketId,
        contactId: updated.contactId,
      });
      await deps.jobs.send(writeNoteJob, { writebackId: writeback.id }, { trx: trx as unknown as Transaction<never> });
    }
    // Last write of the transaction: the outbox lock is held until commit.
    await deps.events.record(trx, {
      organizationId: updated.organizationId,
      type: EVENT_BY_STATE[decision.to],
      data: {
        conversationId: updated.id,
        externalId: updated.externalId,
        ticketId: id(updated.ticketId),
        contactId: id(updated.contactId),
        threadId: id(updated.threadId),
        aiState: decision.to,
        previousAiState: conversation.aiState,
        source: input.source,
        actor: input.actor ?? null,
        reason: input.reason ?? null,
        occurredAt: occurredAt.toISOString(),
        transitionId: String(transition.id),
        ...(input.team ? { team: input.team } : {}),
      },
    });
    return { conversation: updated, changed: true, transition };
  }

  async function transition(organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult> {
    const result = await deps.db.transaction().execute((trx) => transitionInTransaction(trx, organizationId, conversationId, action, input));
    service.afterCommit([result]);
    return result;
  }

  service = Object.freeze({
    jobs: [writeNoteJob] as JobDefinition<never>[],

    async upsertByExternalId(organizationId: string, input: { externalId: string } & ConversationFields) {
      const { externalId, ...fields } = input;
      const result = await repo.upsertConversation(deps.db, organizationId, externalId, fields);
      if (result.created) deps.log.debug({ organizationId, conversationId: result.conversation.id }, 'conversation created');
      return result;
    },

    async getConversation(organizationId: string, conversationId: string) {
      const conversation = await repo.findConversationById(deps.db, organizationId, conversationId);
      if (!conversation) throw notFound();
      return conversation;
    },

    findByRecord: (organizationId: string, filter: RecordFilter, opts: { limit?: number; trx?: Transaction<Database> } = {}) =>
      repo.findConversationsByRecord(opts.trx ?? deps.db, organizationId, filter, opts.limit ?? 100),

    activeLinks: (organizationId: string, records: { ticketIds: number[]; threadIds: number[] }) => repo.findActiveLinks(deps.db, organizationId, records),

    pause: (organizationId: string, conversationId: string, input: TransitionInput) => transition(organizationId, conversationId, 'pause', input),
    resume: (organizationId: string, conversationId: string, input: TransitionInput) => transition(organizationId, conversationId, 'resume', input),
    requestHandoff: (organizationId: string, conversationId: string, input: TransitionInput) => transition(organizationId, conversationId, 'handoff', input),

    async getHistory(organizationId: string, conversationId: string) {
      const conversation = await repo.findConversationById(deps.db, organizationId, conversationId);
      if (!conversation) throw notFound();
      const [transitions, writebacks] = await Promise.all([repo.findTransitions(deps.db, conversation.id), repo.findWritebacks(deps.db, conversation.id)]);
      return { transitions, writebacks };
    },

    async lastTransitions(organizationId: string, conversationIds: readonly string[]) {
      const transitions = await repo.findLastTransitions(deps.db, organizationId, conversationIds);
      return new Map(transitions.map((t) => [t.conversationId, t]));
    },

    transitionInTransaction,

    async pauseLinkedInTransaction(trx: Transaction<Database>, organizationId: string, filter: RecordFilter, input: TransitionInput) {
      // Lock them all first, in id order, before any outbox write: the outbox lock is always taken
      // last, so two handlers pausing overlapping conversations cannot deadlock.
      const linked = await repo.lockConversationsByRecord(trx, organizationId, filter);
      const results: TransitionResult[] = [];
      for (const conversation of linked) {
        if (conversation.aiState !== 'active') continue;
        results.push(await applyLocked(trx, conversation, 'pause', input));
      }
      return results;
    },

    async unlinkInTransaction(trx: Transaction<Database>, organizationId: string, link: 'ticket' | 'contact', objectId: number) {
      const changed = await repo.clearLink(trx, organizationId, link === 'ticket' ? 'ticket_id' : 'contact_id', objectId);
      return changed.length;
    },

    async recordThreadStatusInTransaction(trx: Transaction<Database>, organizationId: string, threadId: number, status: string, at: Date) {
      const linked = await repo.lockConversationsByRecord(trx, organizationId, { threadId });
      const closed: Conversation[] = [];
      for (const conversation of linked) {
        if (conversation.threadStatus === status) continue;
        const updated = await repo.updateThreadStatus(trx, conversation.id, status, status === 'CLOSED' ? at : null);
        if (status === 'CLOSED') closed.push(updated);
      }
      for (const conversation of closed) {
        await deps.events.record(trx, {
          organizationId,
          type: 'conversation.closed',
          data: { conversationId: conversation.id, externalId: conversation.externalId, ticketId: id(conversation.ticketId), contactId: id(conversation.contactId), threadId: id(conversation.threadId), closedAt: at.toISOString() },
        });
      }
      return linked.filter((c) => c.threadStatus !== status).length;
    },

    async eraseContactInTransaction(trx: Transaction<Database>, organizationId: string, portalId: number, contactId: number) {
      const { conversations } = await repo.eraseContact(trx, organizationId, contactId);
      await deps.events.scrubContact(trx, organizationId, contactId);
      await repo.insertErasure(trx, { organizationId, portalId, contactId, conversationsUnlinked: conversations.length });
      // The vendor needs the HubSpot contact id to erase its own copy; the event carries no other data.
      await deps.events.record(trx, {
        organizationId,
        type: 'contact.erased',
        data: { portalId: String(portalId), hubspotContactId: String(contactId), conversations: conversations.map((c) => ({ conversationId: c.id, externalId: c.externalId })) },
      });
      return { conversationsUnlinked: conversations.length };
    },

    afterCommit(results: readonly TransitionResult[] = []) {
      for (const r of results) {
        if (r.changed && r.transition) deps.metrics.aiTransitions.inc({ source: r.transition.source, to: r.transition.toState });
      }
      deps.events.afterCommit();
      deps.jobs.wake(writeNoteJob.queue);
    },

    resumeWaitingWritebacksInTransaction: (trx: Transaction<Database>, organizationId: string, opts: { portalChanged: boolean }) => waiting.resumeInTransaction(trx, organizationId, opts),
    listWritebacksNeedingAttention: (organizationId: string, limit: number) => waiting.listNeedingAttention(organizationId, limit),

    async writeNote(writebackId: number) {
      const writeback = await repo.findWritebackById(deps.db, writebackId);
      if (!writeback || writeback.status !== 'pending') return;
      const [transition, conversation] = await Promise.all([
        repo.findTransitionById(deps.db, writeback.transitionId),
        repo.findConversationById(deps.db, writeback.organizationId, writeback.conversationId),
      ]);
      if (!transition || !conversation || (writeback.ticketId === null && writeback.contactId === null)) {
        await repo.updateWriteback(deps.db, writeback.id, { status: 'failed', lastError: 'nothing left to write the note on' });
        return;
      }
      const team = (transition.details?.team as { name?: unknown } | undefined)?.name;
      const note = {
        timestamp: transition.occurredAt,
        body: buildNoteBody({
          toState: transition.toState,
          source: transition.source,
          actor: transition.actor,
          reason: transition.reason,
          externalId: conversation.externalId,
          occurredAt: transition.occurredAt,
          team: typeof team === 'string' ? team : null,
        }),
        ticketId: writeback.ticketId,
        contactId: writeback.contactId,
      };
      try {
        const created = await deps.hubspot.createNote(writeback.organizationId, note);
        await repo.updateWriteback(deps.db, writeback.id, { status: 'done', attemptsIncrement: true, lastError: null, hubspotNoteId: created.id });
        deps.metrics.noteWritebacks.inc({ outcome: 'done' });
      } catch (err) {
        if (waitsForConnection(err)) return waiting.park(writeback, err);
        const message = err instanceof AppError ? `${err.code}: ${err.message}` : 'unexpected error';
        // A refusal (4xx other than 429), a missing connection or a dead grant cannot succeed on retry.
        const final = err instanceof AppError && (statusByCode[err.code] < 500 || err.code === 'hubspot_upstream_error');
        await repo.updateWriteback(deps.db, writeback.id, { attemptsIncrement: true, lastError: message, ...(final ? { status: 'failed' as const } : {}) });
        deps.metrics.noteWritebacks.inc({ outcome: final ? 'failed' : 'retry' });
        if (final) {
          deps.log.warn({ writebackId, organizationId: writeback.organizationId, err }, 'note write-back refused by HubSpot; not retried');
          return;
        }
        throw err;
      }
    },

    async onWriteNoteExhausted(writebackId: number) {
      await repo.updateWriteback(deps.db, writebackId, { status: 'failed' });
      deps.metrics.noteWritebacks.inc({ outcome: 'failed' });
    },
  });
  return service;
}
