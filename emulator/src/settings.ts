// Run-time knobs. They start from the createEmulator options, can be changed through the control API
// and go back to the options on reset.

/** Rate-limit numbers (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). */
export interface RateLimitSettings {
  /** Requests per rolling window per app per portal; HubSpot documents 110 (older material: 100). */
  max: number;
  /** Window length in ms; HubSpot's is 10 s. */
  intervalMs: number;
  /** Search requests per second per app per portal. */
  searchPerSecond: number;
  /** Daily quota reported to private-app tokens (OAuth apps have none). */
  privateAppDaily: number;
}

/** Every knob the control API can change. */
export interface Settings {
  /** `expires_in` of newly issued access tokens. */
  accessTokenLifetimeSeconds: number;
  /** When on, a refresh returns a new refresh token and revokes the old one. */
  refreshTokenRotation: boolean;
  /** How long an authorization code can be exchanged. */
  codeTtlSeconds: number;
  rateLimit: RateLimitSettings;
}

/** Defaults: HubSpot's documented values; rotation off because HubSpot returns the same token in practice. */
export const defaultSettings: Settings = Object.freeze({
  accessTokenLifetimeSeconds: 1800,
  refreshTokenRotation: false,
  codeTtlSeconds: 60,
  rateLimit: Object.freeze({ max: 110, intervalMs: 10_000, searchPerSecond: 5, privateAppDaily: 500_000 }),
});

/** A mutable settings holder that remembers its starting point. */
export interface SettingsStore {
  get(): Settings;
  /** Shallow-merges a patch (and `rateLimit` one level deeper). */
  update(patch: SettingsPatch): Settings;
  /** Back to the values given at creation. */
  reset(): Settings;
}

/** A partial update of the settings. */
export type SettingsPatch = Partial<Omit<Settings, 'rateLimit'>> & { rateLimit?: Partial<RateLimitSettings> };

/**
 * Creates the settings holder.
 * @param initial the values to start from and to reset to
 * @returns the holder
 */
export function createSettingsStore(initial: Settings): SettingsStore {
  const frozenInitial = structuredClone(initial);
  let current = structuredClone(initial);
  return {
    get: () => current,
    update(patch) {
      current = { ...current, ...patch, rateLimit: { ...current.rateLimit, ...patch.rateLimit } };
      return current;
    },
    reset() {
      current = structuredClone(frozenInitial);
      return current;
    },
  };
}
