// The text of the note written onto HubSpot timelines, kept apart so its wording is unit-tested.
import type { AiState, TransitionSource } from './conversations.table.js';

const SOURCE_LABEL: Record<TransitionSource, string> = {
  owner_change: 'ticket owner change in HubSpot',
  assignment: 'conversation assignment in HubSpot',
  workflow: 'HubSpot workflow',
  card: 'Switchboard card in HubSpot',
  api: 'Switchboard API',
};

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
}

/**
 * Builds the note's HTML body (`hs_note_body`): what happened, by whom, how and why. Every value is
 * escaped: actors and reasons come from workflows, cards and the vendor.
 * @returns HTML for HubSpot's note body
 */
export function buildNoteBody(input: NoteInput): string {
  const lines = [
    `<p><strong>Switchboard: ${HEADLINE[input.toState]}</strong></p>`,
    `<p>Conversation ${escapeHtml(input.externalId)}; by ${escapeHtml(input.actor ?? 'unknown')} via ${SOURCE_LABEL[input.source]}, at ${input.occurredAt.toISOString()}.</p>`,
  ];
  if (input.team) lines.push(`<p>Team: ${escapeHtml(input.team)}</p>`);
  if (input.reason) lines.push(`<p>Reason: ${escapeHtml(input.reason)}</p>`);
  return lines.join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
