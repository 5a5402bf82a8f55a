// The organization's handoff teams: configured by the vendor (`GET/PUT /api/v1/handoff-teams`) and
// offered by HubSpot's workflow editor through Request handoff's `team` dropdown (optionsUrl).
import { AppError } from '../../platform/errors.js';
import { OPTIONS_PAGE_SIZE } from './workflow-actions.constants.js';
import type { WorkflowActionsDeps } from './workflow-actions.deps.js';
import { workflowActionsRepository as repo, type HandoffTeam } from './workflow-actions.repository.js';
import type { OptionsRequest } from './workflow-actions.schemas.js';

/** Input fields whose dropdown we feed through `POST /hubspot/actions/options/:field`. */
export const OPTIONS_FIELDS: ReadonlySet<string> = new Set(['team']);

/** An options answer in HubSpot's format (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference). */
export interface OptionsAnswer {
  options: { label: string; value: string }[];
  /** Present when there is a next page: HubSpot shows "load more" and sends it back as fetchOptions.after. */
  after?: string;
  /** true: HubSpot shows a search box and sends its text as fetchOptions.q. */
  searchable: boolean;
}

/**
 * Answers the team dropdown: the calling portal's organization's teams whose name or id contains `q`
 * (case-insensitive), in display order, 20 per page, paged by `after`.
 * @param deps the service's dependencies
 * @param field the input field (one of OPTIONS_FIELDS)
 * @param request HubSpot's options request
 * @returns HubSpot's options answer; no options for a portal no organization connected
 * @throws AppError not_found for a field we do not feed
 */
export async function listFieldOptions(deps: WorkflowActionsDeps, field: string, request: OptionsRequest): Promise<OptionsAnswer> {
  if (!OPTIONS_FIELDS.has(field)) throw new AppError('not_found', `No options for field "${field}"`);
  const connection = await deps.connections.findByPortalId(request.origin.portalId);
  if (!connection || connection.status === 'disconnected') return { options: [], searchable: true };
  const rows = await repo.searchHandoffTeams(deps.db, {
    organizationId: connection.organizationId,
    q: request.fetchOptions?.q?.trim() || undefined,
    afterPosition: decodeCursor(request.fetchOptions?.after),
    limit: OPTIONS_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, OPTIONS_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    options: page.map((team) => ({ label: team.name, value: team.id })),
    ...(rows.length > OPTIONS_PAGE_SIZE && last ? { after: encodeCursor(last.position) } : {}),
    searchable: true,
  };
}

/**
 * Replaces an organization's handoff teams. Workflows keep the team id they stored; a removed team
 * makes Request handoff answer INVALID_INPUT, which its execution rule explains.
 * @param deps the service's dependencies
 * @param organizationId the calling organization
 * @param teams the full list in display order (ids unique, checked by the schema)
 * @returns the stored list
 */
export async function putHandoffTeams(deps: WorkflowActionsDeps, organizationId: string, teams: HandoffTeam[]): Promise<HandoffTeam[]> {
  await deps.db.transaction().execute((trx) => repo.replaceHandoffTeams(trx, organizationId, teams));
  return repo.findHandoffTeams(deps.db, organizationId);
}

// The cursor is opaque to HubSpot: the display position of the last team shown.
function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`, 'utf8').toString('base64url');
}

function decodeCursor(after: string | undefined): number {
  if (!after) return -1;
  const match = /^p:(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : -1;
}
