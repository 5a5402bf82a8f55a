// The text of the note written onto HubSpot timelines, kept apart so its wording is unit-tested.
import type { AiState, TransitionSource } from './conversations.table.js';

const sourceLabel = (source: TransitionSource, product: string): string =>
  ({
    owner_change: 'ticket owner change in HubSpot',
    assignment: 'conversation assignment in HubSpot',
    workflow: 'HubSpot workflow',
    card: `${product} card in HubSpot`,
    api: `${product} API`,
    'hubspot-thread-assignee': 'help-desk thread assignment in HubSpot',
  })[source];

/**
 * The audit trail's actor as people read it: `workflow:42` → "a HubSpot workflow (ID 42)",
 * `hubspot-owner:7` → "HubSpot owner 7"; emails and names the vendor sent stay as they are.
 * @param actor the stored actor (null when nobody was named)
 */
export function describeActor(actor: string | null): string {
  if (actor === null) return 'someone not named';
  const [kind, id] = actor.split(/:(.*)/s);
  if (kind === 'workflow') return id ? `a HubSpot workflow (ID ${id})` : 'a HubSpot workflow';
  if (kind === 'hubspot-owner' && id) return `the HubSpot owner with ID ${id}`;
  if (kind === 'hubspot-user' && id) return `the HubSpot user with ID ${id}`;
  return actor === 'workflow' ? 'a HubSpot workflow' : actor;
}

const HEADLINE: Record<AiState, string> = {
  paused: 'AI paused',
  active: 'AI resumed',
  handoff_requested: 'Handoff to a human requested',
};

/** What a note says. */
export interface NoteInput {
  toState: AiState;
  source: TransitionSource;
  actor: string | null;
  reason: string | null;
  externalId: string;
  occurredAt: Date;
  team?: string | null;
  /** The vendor's product name (branding); default "Switchboard". */
  productName?: string;
}

/**
 * Builds the note's HTML body (`hs_note_body`): what happened, by whom, how and why. Every value is
 * escaped: actors and reasons come from workflows, cards and the vendor.
 * @returns HTML for HubSpot's note body
 */
export function buildNoteBody(input: NoteInput): string {
  const product = input.productName ?? 'Switchboard';
  // A workflow actor already says how it happened; "via HubSpot workflow" would repeat it.
  const via = input.source === 'workflow' && input.actor?.startsWith('workflow') ? '' : ` via ${escapeHtml(sourceLabel(input.source, product))}`;
  const lines = [
    `<p><strong>${escapeHtml(product)}: ${HEADLINE[input.toState]}</strong></p>`,
    `<p>Conversation ${escapeHtml(input.externalId)}; by ${escapeHtml(describeActor(input.actor))}${via}, at ${input.occurredAt.toISOString()}.</p>`,
  ];
  if (input.team) lines.push(`<p>Team: ${escapeHtml(input.team)}</p>`);
  if (input.reason) lines.push(`<p>Reason: ${escapeHtml(input.reason)}</p>`);
  return lines.join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
