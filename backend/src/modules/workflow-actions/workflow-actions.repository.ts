import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HandoffTeamRow, WorkflowAutoResumeRow } from './workflow-actions.table.js';

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

/**
 * Claims an execution by inserting its row. When another transaction holds the same callbackId
 * uncommitted, Postgres makes this insert wait for it, so two concurrent copies never both run.
 * @returns true when this transaction claimed it; false when it already existed (read it with findExecution)
 */
async function claimExecution(
  trx: Trx,
  row: { callbackId: string; actionName: string; portalId: number; workflowId?: number; objectType: string; objectId: number },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('workflow_action_executions')
    .values({
      callback_id: row.callbackId,
      action_name: row.actionName,
      portal_id: row.portalId,
      workflow_id: row.workflowId ?? null,
      object_type: row.objectType,
      object_id: row.objectId,
      organization_id: null,
      execution_state: null,
      error_code: null,
      conversation_id: null,
      answer: null,
    })
    .onConflict((oc) => oc.column('callback_id').doNothing())
    .returning('callback_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Stores the answer of an execution this transaction claimed. */
async function storeExecutionAnswer(
  trx: Trx,
  callbackId: string,
  answer: { organizationId?: string; executionState: string; errorCode?: string; conversationId?: string; outputFields: Record<string, string> },
): Promise<void> {
  await trx
    .updateTable('workflow_action_executions')
    .set({
      organization_id: answer.organizationId ?? null,
      execution_state: answer.executionState,
      error_code: answer.errorCode ?? null,
      conversation_id: answer.conversationId ?? null,
      answer: JSON.stringify(answer.outputFields),
    })
    .where('callback_id', '=', callbackId)
    .execute();
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
  /** Why HubSpot has not taken the Send to AI completion yet (or refused it), when it said why. */
  completionError: string | null;
}

/** An organization's newest executions, newest first. */
async function findRecentExecutions(db: Db | Trx, organizationId: string, limit: number): Promise<ExecutionSummary[]> {
  const rows = await db
    .selectFrom('workflow_action_executions as e')
    .leftJoin('workflow_action_callbacks as c', (join) => join.onRef('c.callback_id', '=', 'e.callback_id').on('c.status', 'in', ['completing', 'rejected']))
    .select(['e.callback_id', 'e.action_name', 'e.workflow_id', 'e.object_type', 'e.object_id', 'e.execution_state', 'e.error_code', 'e.created_at', 'c.last_error'])
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
    completionError: r.last_error ?? null,
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
