/**
 * Pure refresh decisions, kept out of IO so they get exhaustive unit tests. All times are epoch ms
 * from the injected clock.
 */

/** What the decisions need to know about a stored OAuth token. */
export interface TokenTiming {
  /** When HubSpot said the access token expires (from `expires_in`). */
  accessExpiresAt: number;
  /** Until when transient failures asked callers not to call HubSpot again. */
  retryAfter: number | null;
}

/**
 * True when the access token should be refreshed now: it expires within `marginSeconds`. HubSpot
 * says a 401 is not a reliable signal, so refreshes are scheduled from `expires_in`
 * (https://developers.hubspot.com/docs/api/usage-details).
 */
export function shouldRefresh(token: Pick<TokenTiming, 'accessExpiresAt'>, now: number, marginSeconds: number): boolean {
  return token.accessExpiresAt - marginSeconds * 1000 <= now;
}

// Do not hand out a token in its last seconds: the call it is used for still has to reach HubSpot.
const USABLE_SKEW_MS = 10_000;

/** True when the access token can still be used for a call (even if it is due for a refresh). */
export function isStillUsable(token: Pick<TokenTiming, 'accessExpiresAt'>, now: number): boolean {
  return token.accessExpiresAt - USABLE_SKEW_MS > now;
}

/** True while a cooldown after failed refreshes is running. */
export function inCooldown(token: Pick<TokenTiming, 'retryAfter'>, now: number): boolean {
  return token.retryAfter !== null && token.retryAfter > now;
}

const FIRST_COOLDOWN_MS = 15_000;
const MAX_COOLDOWN_MS = 5 * 60_000;

/**
 * How long callers wait before the next refresh attempt after `failures` consecutive failed rounds
 * (each round already retried a few times): 15 s, 30 s, 60 s … capped at 5 minutes, so an outage
 * does not turn every API call into a token-endpoint call.
 */
export function cooldownMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(FIRST_COOLDOWN_MS * 2 ** (failures - 1), MAX_COOLDOWN_MS);
}
