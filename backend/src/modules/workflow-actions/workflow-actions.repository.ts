import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { prepared } from '../../db/prepared.js';
import type { Database } from '../../db/schema.js';
import type { CallbackStatus, HandoffTeamRow, WorkflowAutoResumeRow } from './workflow-actions.table.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** A stored execution's first answer. */
export interface StoredExecution {
  callbackId: string;
  actionName: string;
  portalId: number;
  answer: Record<string, string> | null;
}

/** A scheduled automatic resume. */
export interface AutoResume {
  id: string;
  organizationId: string;
  conversationId: string;
  callbackId: string;
  workflowId: number | null;
  pauseTransitionId: number;
  resumeAt: Date;
}

/** An organization's handoff team. */
export interface HandoffTeam {
  id: string;
  name: string;
}

function autoResumeRowToAutoResume(row: WorkflowAutoResumeRow): AutoResume {
  return {
    id: row.id,
    organizationId: row.organization_id,
    conversationId: row.conversation_id,
    callbackId: row.callback_id,
    workflowId: row.workflow_id,
    pauseTransitionId: row.pause_transition_id,
    resumeAt: row.resume_at,
  };
}

function teamRowToHandoffTeam(row: Pick<HandoffTeamRow, 'team_id' | 'name'>): HandoffTeam {
  return { id: row.team_id, name: row.name };
}

// ---- Executions (idempotency on callbackId) ----

/** The execution a claim inserts (its answer is stored by storeExecutionAnswer). */
export interface ExecutionClaim {
  callbackId: string;
  actionName: string;
  portalId: number;
  /** The portal's organization, when it is connected (set with the claim, so storing the answer changes no indexed column). */
  organizationId?: string;
  workflowId?: number;
  objectType: string;
  objectId: number;
}

/**
 * The claim's statement, `INSERT … ON CONFLICT (callback_id) DO NOTHING RETURNING callback_id`: a row
 * comes back when this transaction claimed the execution, none when it already existed. When another
 * transaction holds the same callbackId uncommitted, Postgres makes the insert wait for it, so two
 * concurrent copies never both run. Also used as the gate of the conversations' lock (one statement).
 */
function claimExecutionSql(row: ExecutionClaim): RawBuilder<{ callback_id: string }> {
  return sql<{ callback_id: string }>`insert into workflow_action_executions (callback_id, action_name, portal_id, organization_id, workflow_id, object_type, object_id)
    values (${row.callbackId}, ${row.actionName}, ${row.portalId}, ${row.organizationId ?? null}, ${row.workflowId ?? null}, ${row.objectType}, ${row.objectId})
    on conflict (callback_id) do nothing returning callback_id`;
}

/**
 * Claims an execution by inserting its row (see {@link claimExecutionSql}).
 * @returns true when this transaction claimed it; false when it already existed (read it with findExecution)
 */
async function claimExecution(trx: Trx, row: ExecutionClaim): Promise<boolean> {
  const { rows } = await claimExecutionSql(row).execute(trx);
  return rows.length > 0;
}

/**
 * Stores the answer of an execution this transaction claimed (its organization came with the claim).
 * No indexed column changes, so Postgres can update the row in place (HOT); prepared (db/prepared.ts).
 */
async function storeExecutionAnswer(
  trx: Trx,
  callbackId: string,
  answer: { executionState: string; errorCode?: string; conversationId?: string; outputFields: Record<string, string> },
): Promise<void> {
  await prepared(sql`update workflow_action_executions
    set execution_state = ${answer.executionState}, error_code = ${answer.errorCode ?? null}, conversation_id = ${answer.conversationId ?? null}, answer = ${JSON.stringify(answer.outputFields)}::jsonb
    where callback_id = ${callbackId}`).execute(trx);
}

/** Reads a stored execution (committed rows only, as seen by `db`). */
async function findExecution(db: Db | Trx, callbackId: string): Promise<StoredExecution | undefined> {
  const row = await db
    .selectFrom('workflow_action_executions')
    .select(['callback_id', 'action_name', 'portal_id', 'answer'])
    .where('callback_id', '=', callbackId)
    .executeTakeFirst();
  return row && { callbackId: row.callback_id, actionName: row.action_name, portalId: row.portal_id, answer: row.answer };
}

/** An execution as the connection page's troubleshooting panel lists it. */
export interface ExecutionSummary {
  callbackId: string;
  actionName: string;
  workflowId: number | null;
  objectType: string;
  objectId: number;
  /** null only while the first answer is being computed (never in a committed row). */
  executionState: string | null;
  errorCode: string | null;
  createdAt: Date;
  /** For a BLOCK answer (Send to AI): where its callback stands, and the completion once decided. */
  callback: { status: CallbackStatus; executionState: string | null; errorCode: string | null } | null;
  /** Why HubSpot has not taken the Send to AI completion yet (or refused it), when it said why. */
  completionError: string | null;
}

/** An organization's newest executions, newest first. */
async function findRecentExecutions(db: Db | Trx, organizationId: string, limit: number): Promise<ExecutionSummary[]> {
  const rows = await db
    .selectFrom('workflow_action_executions as e')
    .leftJoin('workflow_action_callbacks as c', 'c.callback_id', 'e.callback_id')
    .select(['e.callback_id', 'e.action_name', 'e.workflow_id', 'e.object_type', 'e.object_id', 'e.execution_state', 'e.error_code', 'e.created_at', 'c.status as callback_status', 'c.output_fields as callback_output', 'c.last_error'])
    .where('e.organization_id', '=', organizationId)
    .orderBy('e.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    callbackId: r.callback_id,
    actionName: r.action_name,
    workflowId: r.workflow_id,
    objectType: r.object_type,
    objectId: r.object_id,
    executionState: r.execution_state,
    errorCode: r.error_code,
    createdAt: r.created_at,
    callback:
      r.callback_status === null
        ? null
        : { status: r.callback_status, executionState: r.callback_output?.hs_execution_state ?? null, errorCode: r.callback_output?.error_code || null },
    // HubSpot's reason only matters while the completion is still being sent, or was refused.
    completionError: r.callback_status === 'completing' || r.callback_status === 'rejected' ? (r.last_error ?? null) : null,
  }));
}

// ---- Automatic resumes ----

/** Schedules an automatic resume (once per execution and conversation). */
async function insertAutoResume(
  trx: Trx,
  row: { organizationId: string; conversationId: string; callbackId: string; workflowId?: number; pauseTransitionId: number; resumeAt: Date },
): Promise<void> {
  await trx
    .insertInto('workflow_auto_resumes')
    .values({
      organization_id: row.organizationId,
      conversation_id: row.conversationId,
      callback_id: row.callbackId,
      workflow_id: row.workflowId ?? null,
      pause_transition_id: row.pauseTransitionId,
      resume_at: row.resumeAt,
      status: 'scheduled',
      done_at: null,
    })
    .onConflict((oc) => oc.columns(['callback_id', 'conversation_id']).doNothing())
    .execute();
}

/** Locks due automatic resumes (SKIP LOCKED: concurrent sweeps share the work). */
async function lockDueAutoResumes(trx: Trx, now: Date, limit: number): Promise<AutoResume[]> {
  const rows = await trx
    .selectFrom('workflow_auto_resumes')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('resume_at', '<=', now)
    .orderBy('resume_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(autoResumeRowToAutoResume);
}

/** Marks an automatic resume done. */
async function finishAutoResume(trx: Trx, id: string, status: 'resumed' | 'skipped', now: Date): Promise<void> {
  await trx.updateTable('workflow_auto_resumes').set({ status, done_at: now }).where('id', '=', id).execute();
}

// ---- Handoff teams ----

/** Replaces an organization's handoff teams with `teams`, in order. */
async function replaceHandoffTeams(trx: Trx, organizationId: string, teams: HandoffTeam[]): Promise<void> {
  await trx.deleteFrom('handoff_teams').where('organization_id', '=', organizationId).execute();
  if (teams.length === 0) return;
  await trx
    .insertInto('handoff_teams')
    .values(teams.map((team, position) => ({ organization_id: organizationId, team_id: team.id, name: team.name, position })))
    .execute();
}

/** An organization's handoff teams, in display order. */
async function findHandoffTeams(db: Db | Trx, organizationId: string): Promise<HandoffTeam[]> {
  const rows = await db
    .selectFrom('handoff_teams')
    .select(['team_id', 'name'])
    .where('organization_id', '=', organizationId)
    .orderBy('position')
    .execute();
  return rows.map(teamRowToHandoffTeam);
}

/** One handoff team. */
async function findHandoffTeam(db: Db | Trx, organizationId: string, teamId: string): Promise<HandoffTeam | undefined> {
  const row = await db
    .selectFrom('handoff_teams')
    .select(['team_id', 'name'])
    .where('organization_id', '=', organizationId)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row && teamRowToHandoffTeam(row);
}

/**
 * One page of handoff teams for the options dropdown: name contains `q` (case-insensitive), in
 * display order, starting after position `afterPosition`.
 * @returns up to `limit` teams with their positions
 */
async function searchHandoffTeams(
  db: Db,
  where: { organizationId: string; q?: string; afterPosition: number; limit: number },
): Promise<(HandoffTeam & { position: number })[]> {
  let query = db
    .selectFrom('handoff_teams')
    .select(['team_id', 'name', 'position'])
    .where('organization_id', '=', where.organizationId)
    .where('position', '>', where.afterPosition);
  if (where.q !== undefined && where.q !== '') {
    // Escape LIKE wildcards so the search text is literal.
    const pattern = `%${where.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('team_id', 'ilike', pattern)]));
  }
  const rows = await query.orderBy('position').limit(where.limit).execute();
  return rows.map((r) => ({ ...teamRowToHandoffTeam(r), position: r.position }));
}

/** Data access of the workflow-actions module: executions, automatic resumes, handoff teams. */
export const workflowActionsRepository = Object.freeze({
  claimExecutionSql,
  claimExecution,
  storeExecutionAnswer,
  findExecution,
  findRecentExecutions,
  insertAutoResume,
  lockDueAutoResumes,
  finishAutoResume,
  replaceHandoffTeams,
  findHandoffTeams,
  findHandoffTeam,
  searchHandoffTeams,
});
