// What the control routes need from the emulator.
import type { Faults } from '../faults.js';
import type { OAuthApp } from '../oauth/authorize-request.js';
import type { RateLimiter } from '../rate-limit.js';
import type { SettingsStore } from '../settings.js';
import type { EmulatorState } from '../state.js';
import type { EmulatorClock } from '../support/clock.js';

/** Dependencies of the control routers. */
export interface ControlDeps {
  state: EmulatorState;
  settings: SettingsStore;
  faults: Faults;
  limiter: RateLimiter;
  clock: EmulatorClock;
  app: OAuthApp;
  /** Resets state, settings, faults, limiter, clock, webhooks and workflows. */
  resetAll(): void;
}
