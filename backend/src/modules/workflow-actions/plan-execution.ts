// What an execution will do once claimed, decided before its transaction from the request and the
// portal's connection alone (no database), so the claim's statement can also lock the record's
// conversations when the handler is going to run.
import { zodDetails } from '../../platform/http/validate.js';
import type { ActionAnswer, WorkflowAction } from './workflow-action.js';
import type { WorkflowActionsDeps } from './workflow-actions.deps.js';
import type { ActionErrorCode, ExecutionRequest } from './workflow-actions.schemas.js';

/** Object types the actions run on (the manifests' objectTypes). */
const SUPPORTED_OBJECT_TYPES = new Set(['TICKET', 'CONTACT']);

/** What an execution will do once claimed, decided before its transaction from the request and the connection alone. */
export type Plan =
  | { kind: 'answer'; answer: ActionAnswer; organizationId?: string; warning?: { fields: Record<string, unknown>; msg: string } }
  | { kind: 'run'; organizationId: string; input: unknown; record: { ticketId: number } | { contactId: number } };

/**
 * Decides, before the transaction, whether the handler runs: not for a refused connection, an object
 * type the actions do not support, or invalid inputs (each answered FAIL_CONTINUE, its warning logged
 * only by the execution that claims it, not by replays).
 * @returns the answer to store, or the handler's validated input and the record to lock
 */
export function planExecution(action: WorkflowAction, request: ExecutionRequest, connection: Awaited<ReturnType<WorkflowActionsDeps['connections']['findByPortalId']>>): Plan {
  const refusal = connectionRefusal(connection);
  if (refusal || !connection) return { kind: 'answer', answer: { state: 'FAIL_CONTINUE', errorCode: refusal ?? 'NOT_CONNECTED' } };
  const { organizationId } = connection;
  const { objectType, objectId } = request.object;
  if (!SUPPORTED_OBJECT_TYPES.has(objectType)) {
    return {
      kind: 'answer',
      organizationId,
      answer: { state: 'FAIL_CONTINUE', errorCode: 'INVALID_INPUT' },
      warning: { fields: { action: action.name, objectType }, msg: 'workflow action enrolled an object type it does not support' },
    };
  }
  const parsed = action.inputSchema.safeParse(request.inputFields ?? {});
  if (!parsed.success) {
    return {
      kind: 'answer',
      organizationId,
      answer: { state: 'FAIL_CONTINUE', errorCode: 'INVALID_INPUT' },
      warning: { fields: { action: action.name, callbackId: request.callbackId, details: zodDetails(parsed.error) }, msg: 'workflow action inputs are invalid' },
    };
  }
  return { kind: 'run', organizationId, input: parsed.data, record: objectType === 'TICKET' ? { ticketId: objectId } : { contactId: objectId } };
}

/**
 * Why an execution cannot run for this portal's connection, if it cannot. Workflow actions exist only
 * on the OAuth path: a Private App connection is told to migrate.
 */
function connectionRefusal(connection: { status: string; auth: string } | undefined): ActionErrorCode | undefined {
  if (!connection || connection.status === 'disconnected') return 'NOT_CONNECTED';
  if (connection.auth === 'private_app') return 'MIGRATE_TO_OAUTH';
  if (connection.status === 'needs_reauth') return 'NEEDS_REAUTH';
  return undefined;
}

