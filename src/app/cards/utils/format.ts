// Plain-text descriptions for the card. Kept pure (the clock is a parameter) so tests are exact.
import type { AiState, Transition } from './contract.js';

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  owner_change: 'an owner change',
  assignment: 'a conversation assignment',
  workflow: 'a workflow',
  card: 'the HubSpot card',
  api: 'the AI platform',
};

const VERB_BY_STATE: Readonly<Record<AiState, string>> = {
  active: 'Resumed',
  paused: 'Paused',
  handoff_requested: 'Handoff requested',
};

/**
 * Names the source of a transition for people.
 * @param source the stored source, e.g. `owner_change`
 * @returns e.g. `an owner change`; unknown sources with underscores turned into spaces
 */
export function describeSource(source: string): string {
  return SOURCE_LABELS[source] ?? source.replaceAll('_', ' ');
}

// Actors are stored as `<kind>:<id>` for non-people (backend conversations/transition.ts TransitionInput).
const ACTOR_PREFIXES: readonly (readonly [string, string])[] = [
  ['hubspot-owner:', 'HubSpot owner '],
  ['hubspot-user:', 'HubSpot user '],
  ['workflow:', 'workflow '],
];

/**
 * Names the actor of a transition for people.
 * @param actor e.g. `agent@example.com`, `hubspot-owner:123`, `workflow:456`
 * @returns e.g. `agent@example.com`, `HubSpot owner 123`, `workflow 456`
 */
export function describeActor(actor: string): string {
  const match = ACTOR_PREFIXES.find(([prefix]) => actor.startsWith(prefix));
  return match ? `${match[1]}${actor.slice(match[0].length)}` : actor;
}

/**
 * Says how long ago something happened.
 * @param iso ISO 8601 time
 * @param now current time in epoch ms
 * @returns `just now`, `5 minutes ago`, `3 hours ago`, or `on 2025-06-01` after a day
 */
export function formatWhen(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `on ${new Date(at).toISOString().slice(0, 10)}`;
}

/**
 * One sentence about the last transition.
 * @param transition the conversation's last transition
 * @param now current time in epoch ms
 * @returns e.g. `Paused by agent@example.com via an owner change, 5 minutes ago.`
 */
export function describeTransition(transition: Transition, now: number): string {
  const by = transition.actor ? ` by ${describeActor(transition.actor)}` : '';
  return `${VERB_BY_STATE[transition.to]}${by} via ${describeSource(transition.source)}, ${formatWhen(transition.at, now)}.`;
}
