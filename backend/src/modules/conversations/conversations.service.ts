// The conversations service (`services.conversations`): conversations, their AI state and the audit
// trail, the notes written back to HubSpot, and what HubSpot's webhooks change on them. Each use case
// lives in its own file; this one assembles them.
import type { RawBuilder } from 'kysely';
import type { FeatureModule } from '../../platform/module.js';
import type { AiAction } from './ai-state.js';
import { createConversationsJobs } from './conversations.jobs.js';
import type { ConversationsDeps, HandoffRequested, OnHandoffRequested, Trx } from './conversations.ports.js';
import { conversationsRepository as repo, type Conversation, type ConversationFields, type RecordFilter, type RecordSet } from './conversations.repository.js';
import type { AiState, TransitionSource } from './conversations.table.js';
import { eraseContactInTransaction } from './erase-contact.js';
import { noteWritebacksRepository as writebacks, type NoteWriteback } from './note-writebacks.repository.js';
import { getConversation, getHistory, lastTransitions } from './read-conversation.js';
import { recordThreadStatusInTransaction } from './record-thread-status.js';
import { resumeWaitingWritebacksInTransaction } from './resume-waiting-writebacks.js';
import { afterTransitionsCommitted, pauseLinkedInTransaction, transition, transitionInTransaction, transitionLockedInTransaction, type TransitionInput, type TransitionResult } from './transition.js';
import type { Transition } from './transitions.repository.js';
import { unlinkInTransaction } from './unlink-record.js';
import { upsertByExternalId } from './upsert-conversation.js';
import { onWriteNoteExhausted, writeNote } from './write-note.js';

export type { AiState, Conversation, ConversationFields, ConversationsDeps, HandoffRequested, NoteWriteback, OnHandoffRequested, RecordFilter, RecordSet, Transition, TransitionInput, TransitionResult, TransitionSource };

/** Conversations and their AI state. */
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
  findByRecord(organizationId: string, filter: RecordFilter, opts?: { limit?: number; trx?: Trx }): Promise<Conversation[]>;
  /**
   * Every conversation linked to any of these tickets and threads (of several organizations), in id
   * order, in one statement. Inside a transaction pass `trx`; `lock` also locks them for update there.
   */
  findByRecords(sets: readonly RecordSet[], opts?: { trx?: Trx; lock?: boolean }): Promise<Conversation[]>;
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
  transitionInTransaction(trx: Trx, organizationId: string, conversationId: string, action: AiAction, input: TransitionInput): Promise<TransitionResult>;
  /** Locks the conversations linked to a record, in id order, inside the caller's transaction. */
  lockByRecordInTransaction(trx: Trx, organizationId: string, filter: RecordFilter): Promise<Conversation[]>;
  /**
   * Runs `gate` (the caller's INSERT … RETURNING) and, only when it returned a row, locks the record's
   * conversations like {@link lockByRecordInTransaction}, in one statement.
   */
  lockByRecordAfterInTransaction(trx: Trx, organizationId: string, filter: { ticketId: number } | { contactId: number }, gate: RawBuilder<unknown>): Promise<{ passed: boolean; conversations: Conversation[] }>;
  /**
   * One transition of a conversation the caller locked in this transaction (with {@link lockByRecordInTransaction}).
   * @throws AppError invalid_transition
   */
  transitionLockedInTransaction(trx: Trx, conversation: Conversation, action: AiAction, input: TransitionInput): Promise<TransitionResult>;
  /**
   * Pauses every *active* conversation linked to the record (a paused one stays as it is; a pending
   * handoff is left alone: humans are already asked to take over).
   */
  pauseLinkedInTransaction(trx: Trx, organizationId: string, filter: RecordFilter, input: TransitionInput): Promise<TransitionResult[]>;
  /** Clears a deleted ticket's or contact's link. @returns how many conversations changed */
  unlinkInTransaction(trx: Trx, organizationId: string, link: 'ticket' | 'contact', objectId: number): Promise<number>;
  /** Records a thread's HubSpot status; a close also emits `conversation.closed`. @returns conversations changed */
  recordThreadStatusInTransaction(trx: Trx, organizationId: string, threadId: number, status: string, at: Date): Promise<number>;
  /**
   * Erases a contact's personal data from conversations, their audit trail, write-backs and stored
   * events; records the erasure and emits `contact.erased`.
   */
  eraseContactInTransaction(trx: Trx, organizationId: string, portalId: number, contactId: number): Promise<{ conversationsUnlinked: number }>;
  /**
   * After a commit: counts the transitions and wakes the push and write-back workers (with `wake`
   * 'queued', only those the transitions queued work for: the caller's transaction queued nothing else).
   */
  afterCommit(results?: readonly TransitionResult[], wake?: 'all' | 'queued'): void;

  /**
   * After the organization (re)connects, in that transaction: its write-backs waiting for the
   * connection are queued once more, or failed when the portal changed (their records are elsewhere).
   */
  resumeWaitingWritebacksInTransaction(trx: Trx, organizationId: string, opts: { portalChanged: boolean }): Promise<void>;
  /** The latest write-backs waiting for a reconnect or failed, newest first (connection page). */
  listWritebacksNeedingAttention(organizationId: string, limit: number): Promise<NoteWriteback[]>;
  /** Job body: writes one note to HubSpot; a refusal caused by the connection's state parks it until the reconnect. */
  writeNote(writebackId: number): Promise<void>;
  /** Job body once the write-note job used its last retry: the write-back is failed. */
  onWriteNoteExhausted(writebackId: number, error: unknown): Promise<void>;
}

/**
 * Builds the conversations service.
 * @param deps database, clock, logger, metrics, job system, and the events / connection status / HubSpot ports
 * @returns the service
 */
export function createConversationsService(deps: ConversationsDeps): ConversationsService {
  return Object.freeze<ConversationsService>({
    upsertByExternalId: (organizationId, input) => upsertByExternalId(deps, organizationId, input),
    getConversation: (organizationId, conversationId) => getConversation(deps, organizationId, conversationId),
    findByRecord: (organizationId, filter, opts = {}) => repo.findConversationsByRecord(opts.trx ?? deps.db, organizationId, filter, opts.limit ?? 100),
    findByRecords: (sets, opts = {}) => repo.findConversationsByRecords(opts.trx ?? deps.db, sets, { lock: opts.lock === true && opts.trx !== undefined }),
    activeLinks: (organizationId, records) => repo.findActiveLinks(deps.db, organizationId, records),
    pause: (organizationId, conversationId, input) => transition(deps, organizationId, conversationId, 'pause', input),
    resume: (organizationId, conversationId, input) => transition(deps, organizationId, conversationId, 'resume', input),
    requestHandoff: (organizationId, conversationId, input) => transition(deps, organizationId, conversationId, 'handoff', input),
    getHistory: (organizationId, conversationId) => getHistory(deps, organizationId, conversationId),
    lastTransitions: (organizationId, conversationIds) => lastTransitions(deps, organizationId, conversationIds),

    transitionInTransaction: (trx, organizationId, conversationId, action, input) => transitionInTransaction(deps, trx, organizationId, conversationId, action, input),
    lockByRecordInTransaction: (trx, organizationId, filter) => repo.lockConversationsByRecord(trx, organizationId, filter),
    lockByRecordAfterInTransaction: (trx, organizationId, filter, gate) => repo.lockConversationsByRecordAfter(trx, organizationId, filter, gate),
    transitionLockedInTransaction: (trx, conversation, action, input) => transitionLockedInTransaction(deps, trx, conversation, action, input),
    pauseLinkedInTransaction: (trx, organizationId, filter, input) => pauseLinkedInTransaction(deps, trx, organizationId, filter, input),
    unlinkInTransaction: (trx, organizationId, link, objectId) => unlinkInTransaction(trx, organizationId, link, objectId),
    recordThreadStatusInTransaction: (trx, organizationId, threadId, status, at) => recordThreadStatusInTransaction(deps, trx, organizationId, threadId, status, at),
    eraseContactInTransaction: (trx, organizationId, portalId, contactId) => eraseContactInTransaction(deps, trx, organizationId, portalId, contactId),
    afterCommit: (results, wake) => afterTransitionsCommitted(deps, results, wake),

    resumeWaitingWritebacksInTransaction: (trx, organizationId, opts) => resumeWaitingWritebacksInTransaction(deps, trx, organizationId, opts),
    listWritebacksNeedingAttention: (organizationId, limit) => writebacks.findWritebacksNeedingAttention(deps.db, organizationId, limit),
    writeNote: (writebackId) => writeNote(deps, writebackId),
    onWriteNoteExhausted: (writebackId) => onWriteNoteExhausted(deps, writebackId),
  });
}

/**
 * Builds the conversations module: the service first, then the jobs that run it.
 * @param deps the service's dependencies
 * @returns the service and its jobs (no schedules: write-backs are sent by transitions and reconnects)
 */
export function createConversationsModule(deps: ConversationsDeps): FeatureModule<ConversationsService> {
  const service = createConversationsService(deps);
  return { service, jobs: createConversationsJobs(service), schedules: [] };
}
