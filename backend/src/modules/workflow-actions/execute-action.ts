// Running one HubSpot execution exactly once per callbackId.
//
// One transaction does it all: it claims the callbackId (INSERT … ON CONFLICT DO NOTHING on the primary
// key), runs the handler — whose AI-state changes, audit rows, vendor events, note write-back jobs,
// pending callback and automatic resume are written in that same transaction — and stores the answer.
// A retry finds the committed row and gets the stored answer; a concurrent copy blocks on the
// uncommitted key until the first commits, then does the same. A crash before commit leaves nothing,
// so HubSpot's retry (it retries 5xx and timeouts) runs the action afresh.
// A retried execution is assumed to carry the same callbackId, which identifies the execution it will
// later be completed with. Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-9
// The record's conversations are locked together in id order (the order webhook pauses lock them
// in), then changed one by one inside this transaction. Should a lock still deadlock with a
// concurrent change (Postgres detects it within a second), the execution answers 503 (platform/db-errors.ts) and HubSpot's
// retry runs it again.
//
// Why the path is shaped so: under load an action costs CPU, in Node and in Postgres, per round trip
// (each is a socket write and a wake-up of a Postgres backend on both sides), far more than per row
// written. A Pause AI or Resume AI on a ticket with one conversation makes 5 round trips in its
// transaction (it made 8): BEGIN; the claim and the lock of the record's conversations in one
// statement (the lock runs only when the claim inserted); the transition with its audit row, note
// write-back, the write-back's pg-boss job (platform/job-insert-sql.ts) and vendor event in one
// statement; the stored answer; COMMIT. Then one NOTIFY wakes the workers of other processes. The connection comes from the
// process's route cache. The checks that need no database (connection, object type, inputs) run
// before the transaction, so the handler starts with its conversations already locked.
import { AppError } from '../../platform/errors.js';
import type { ActionAnswer, ActionContext, ActionConversation, ActionTools, TransitionOutcome, WorkflowAction } from './workflow-action.js';
import type { Trx } from '../../db/database.js';
import { workflowActorOf, type WorkflowActionsDeps } from './workflow-actions.deps.js';
import type { ConversationView, LockedConversation, TransitionCause, TransitionView } from './workflow-actions.ports.js';
import { callbacksRepository } from './callbacks.repository.js';
import { workflowActionsRepository as repo } from './workflow-actions.repository.js';
import type { ExecutionRequest, OutputFields } from './workflow-actions.schemas.js';
import { planExecution, type Plan } from './plan-execution.js';
import { EXPIRY_MARGIN_MS, SEND_TO_AI_EXPIRATION } from './workflow-actions.constants.js';

/** Work to do once the execution's transaction committed (wake the workers it enqueued for). */
interface AfterCommit {
  transitions: TransitionView[];
  recordedEvent: boolean;
}

/**
 * Runs one execution at most once per callbackId and answers from the database alone (the only HTTP
 * involved is HubSpot's request itself).
 * @param deps the service's dependencies
 * @param action the action the path named
 * @param request the parsed execution request
 * @returns HubSpot's `outputFields` (the stored ones on a retry)
 */
export async function executeAction(deps: WorkflowActionsDeps, action: WorkflowAction, request: ExecutionRequest): Promise<OutputFields> {
  const after: AfterCommit = { transitions: [], recordedEvent: false };
  const portalId = request.origin.portalId;
  // Read before the transaction (from this process's route cache, else the pool): a lookup on the pool
  // from inside it would hold two connections per request, and as many concurrent requests as the
  // pool has connections would wait on each other until the pool's timeout.
  const connection = await deps.connections.findByPortalId(portalId);
  const plan = planExecution(action, request, connection);
  const claim = {
    callbackId: request.callbackId,
    actionName: action.name,
    portalId,
    organizationId: plan.organizationId,
    workflowId: request.context?.workflowId,
    objectType: request.object.objectType,
    objectId: request.object.objectId,
  };
  const outputFields = await deps.db.transaction().execute(async (trx) => {
    let claimed: boolean;
    let locked: LockedConversation[] | undefined;
    if (plan.kind === 'run') {
      // The claim and the lock of the record's conversations in one statement (the lock only when claimed).
      const gated = await deps.conversations.lockByRecordAfterInTransaction(trx, plan.organizationId, plan.record, repo.claimExecutionSql(claim));
      claimed = gated.passed;
      locked = gated.conversations;
    } else {
      claimed = await repo.claimExecution(trx, claim);
    }
    if (!claimed) return replayExecution(deps, trx, action, request);
    if (plan.kind === 'answer' && plan.warning) deps.log.warn(plan.warning.fields, plan.warning.msg);
    const answer = plan.kind === 'run' ? await runAction(deps, trx, action, request, plan, locked ?? [], after) : plan.answer;
    const fields = presentOutputFields(action, answer);
    await repo.storeExecutionAnswer(trx, request.callbackId, {
      executionState: answer.state,
      errorCode: answer.state === 'FAIL_CONTINUE' ? answer.errorCode : undefined,
      conversationId: answer.conversationId,
      outputFields: fields,
    });
    // A failure at info; a success at debug: its row (listed on the connection page) already records
    // it, and a log line per action was a measured share of the action's CPU (a synchronous write).
    const level = answer.state === 'FAIL_CONTINUE' ? 'info' : 'debug';
    deps.log[level]({ action: action.name, portalId, callbackId: request.callbackId, state: answer.state, errorCode: fields.error_code || undefined }, 'workflow action executed');
    return fields;
  });
  // Its transitions' own work is all the transaction queued for those workers (a Send to AI event wakes pushes below).
  if (after.transitions.length > 0) deps.conversations.afterCommit(after.transitions, 'queued');
  if (after.recordedEvent) deps.events.afterCommit();
  return outputFields;
}

async function replayExecution(deps: WorkflowActionsDeps, trx: Trx, action: WorkflowAction, request: ExecutionRequest): Promise<OutputFields> {
  const stored = await repo.findExecution(trx, request.callbackId);
  // The claim and the answer commit together, so a visible row always has its answer.
  if (!stored?.answer) throw new AppError('server_error', 'A claimed workflow execution has no stored answer');
  if (stored.actionName !== action.name || stored.portalId !== request.origin.portalId) {
    deps.log.warn({ callbackId: request.callbackId, action: action.name, storedAction: stored.actionName }, 'callbackId reused by another action or portal; replaying its stored answer');
  } else {
    deps.log.info({ action: action.name, callbackId: request.callbackId }, 'workflow action delivered again; stored answer replayed');
  }
  return stored.answer as OutputFields;
}

async function runAction(
  deps: WorkflowActionsDeps,
  trx: Trx,
  action: WorkflowAction,
  request: ExecutionRequest,
  plan: Extract<Plan, { kind: 'run' }>,
  locked: LockedConversation[],
  after: AfterCommit,
): Promise<ActionAnswer> {
  const { organizationId } = plan;
  const properties = Object.fromEntries(Object.entries(request.object.properties ?? {}).filter((e): e is [string, string] => e[1] !== null));
  const ctx: Omit<ActionContext, 'tools'> = {
    callbackId: request.callbackId,
    workflowId: request.context?.workflowId,
    record: { objectType: request.object.objectType, objectId: request.object.objectId, properties },
    now: deps.clock.now(),
  };
  const tools = bindTools(deps, trx, { organizationId, portalId: request.origin.portalId, ...ctx }, locked, after);
  return action.handle(plan.input as never, { ...ctx, tools });
}

// The tools a handler may use, bound to this execution and its transaction.
function bindTools(
  deps: WorkflowActionsDeps,
  trx: Trx,
  execution: Omit<ActionContext, 'tools'> & { organizationId: string; portalId: number },
  prelocked: LockedConversation[],
  after: AfterCommit,
): ActionTools {
  const { organizationId, record } = execution;
  const cause = (reason: string | undefined, team?: { id: string; name: string }): TransitionCause => ({
    source: 'workflow',
    actor: workflowActorOf(execution.workflowId),
    ...(reason === undefined ? {} : { reason }),
    ...(team === undefined ? {} : { team }),
  });
  // The linked conversations, locked by linkedConversations (in id order, one statement) and kept
  // here, so a transition takes the row it holds instead of locking and reading it again.
  const locked = new Map<string, LockedConversation>();
  // The claim's statement already locked them; the first call takes those rows instead of a query.
  let claimedLock: LockedConversation[] | undefined = prelocked;
  const transition = async (conversation: ActionConversation, action: 'pause' | 'resume' | 'handoff', input: TransitionCause): Promise<TransitionOutcome> => {
    try {
      // Inside the execution's transaction: the change commits with the stored answer, or not at all.
      const held = locked.get(conversation.id);
      const result = held
        ? await deps.conversations.transitionLockedInTransaction(trx, held, action, input)
        : await deps.conversations.transitionInTransaction(trx, organizationId, conversation.id, action, input);
      locked.set(result.conversation.id, result.conversation);
      after.transitions.push(result);
      const changed = toActionConversation(result.conversation);
      return result.changed && result.transition ? { ok: true, changed: true, transitionId: result.transition.id, conversation: changed } : { ok: true, changed: false, conversation: changed };
    } catch (err) {
      if (err instanceof AppError && err.code === 'invalid_transition') return { ok: false, conversation };
      throw err;
    }
  };
  const linkedConversations = async (): Promise<ActionConversation[]> => {
    const found = claimedLock ?? (await deps.conversations.lockByRecordInTransaction(trx, organizationId, record.objectType === 'TICKET' ? { ticketId: record.objectId } : { contactId: record.objectId }));
    claimedLock = undefined;
    for (const c of found) locked.set(c.id, c);
    // A contact's closed conversations are history; every conversation of a ticket is that ticket's.
    const relevant = record.objectType === 'CONTACT' ? found.filter((c) => c.threadClosedAt === null) : found;
    return relevant.map(toActionConversation).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a.id.localeCompare(b.id));
  };
  return {
    linkedConversations,
    pause: (conversation, reason) => transition(conversation, 'pause', cause(reason)),
    resume: (conversation, reason) => transition(conversation, 'resume', cause(reason)),
    requestHandoff: (conversation, { note, team }) => transition(conversation, 'handoff', cause(note, team)),
    findHandoffTeam: (teamId) => repo.findHandoffTeam(trx, organizationId, teamId),
    async scheduleAutoResume(conversation, pauseTransitionId, resumeAt) {
      await repo.insertAutoResume(trx, {
        organizationId,
        conversationId: conversation.id,
        callbackId: execution.callbackId,
        workflowId: execution.workflowId,
        pauseTransitionId,
        resumeAt,
      });
    },
    async ensureConversation() {
      const [newest] = await linkedConversations();
      if (newest) return newest;
      // A deterministic external id, so Send to AI runs for one record share one conversation. The upsert
      // commits on its own: a conversation that outlives a rolled-back execution is reused by the retry.
      const { conversation } = await deps.conversations.upsertByExternalId(organizationId, {
        externalId: `hubspot-${record.objectType.toLowerCase()}-${record.objectId}`,
        ...(record.objectType === 'TICKET' ? { ticketId: record.objectId } : { contactId: record.objectId }),
      });
      return toActionConversation(conversation);
    },
    async sendToAi(conversation, request) {
      const expiresAt = new Date(execution.now + SEND_TO_AI_EXPIRATION.ms);
      await callbacksRepository.insertPendingCallback(trx, {
        callbackId: execution.callbackId,
        organizationId,
        portalId: execution.portalId,
        conversationId: conversation.id,
        workflowId: execution.workflowId,
        expiresAt,
      });
      await deps.events.record(trx, {
        organizationId,
        type: 'record.sent_to_ai',
        data: {
          conversationId: conversation.id,
          aiState: conversation.aiState,
          callbackId: execution.callbackId,
          workflowId: execution.workflowId === undefined ? null : String(execution.workflowId),
          instructions: request.instructions,
          priority: request.priority,
          // Ids as strings, like every event; `contactId` at the top level so a privacy erasure finds it.
          ...(record.objectType === 'TICKET' ? { ticketId: String(record.objectId) } : { contactId: String(record.objectId) }),
          record: { objectType: record.objectType.toLowerCase(), objectId: String(record.objectId), properties: record.properties },
          // Report with POST /api/v1/conversations/{conversationId}/ai-result before this time.
          respondBy: new Date(expiresAt.getTime() - EXPIRY_MARGIN_MS).toISOString(),
        },
      });
      after.recordedEvent = true;
      return { expirationDuration: SEND_TO_AI_EXPIRATION.iso };
    },
  };
}

/**
 * HubSpot's `outputFields` for an answer: `hs_execution_state`, every output field of the manifest
 * (unset ones as "", so later workflow steps can branch on an empty `error_code`), and
 * `hs_expiration_duration` for BLOCK.
 * @param action the action answered
 * @param answer the handler's answer
 * @returns the outputFields, all values strings
 */
export function presentOutputFields(action: WorkflowAction, answer: ActionAnswer): OutputFields {
  const fields: Record<string, string> = Object.fromEntries(action.outputFields.map((name) => [name, '']));
  fields.ai_state = answer.aiState ?? '';
  fields.conversation_id = answer.conversationId ?? '';
  fields.error_code = answer.state === 'FAIL_CONTINUE' ? answer.errorCode : '';
  if (answer.state === 'SUCCESS') Object.assign(fields, answer.outputs);
  if (answer.state === 'BLOCK') fields.hs_expiration_duration = answer.expirationDuration;
  return { hs_execution_state: answer.state, ...fields };
}

function toActionConversation(c: ConversationView): ActionConversation {
  return { id: c.id, aiState: c.aiState, updatedAt: c.updatedAt };
}
