// Local mode only: notices when the HubSpot emulator the backend talks to was reset (POST
// /_emulator/reset, `switchboard emulator reset`) or lost its saved state. The emulator's portals,
// installs and tokens are then gone while this database still says "Connected", so nothing reaches
// HubSpot any more. The emulator reports an instance id that changes whenever its state starts fresh;
// the last one seen is kept in DATA_DIR, so a mismatch after a restart is noticed too.
// HubSpot mode never builds this module: real HubSpot has no such thing.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../platform/logger.js';

/** A reset noticed: connections made before `since` point at portals and tokens the emulator no longer has. */
export interface EmulatorReset {
  /** When this backend first saw the emulator's current state. */
  since: Date;
}

/** Watches the local emulator's instance id. */
export interface EmulatorResetWatch {
  /** Asks the emulator for its instance id; the reset, if one was noticed (now or earlier), else undefined. */
  check(): Promise<EmulatorReset | undefined>;
}

/** What is kept in `<dataDir>/emulator-instance.json`. */
interface Seen {
  instanceId: string;
  since: string;
  /** Set when the instance id changed under this data folder. */
  resetDetected: boolean;
}

/** Dependencies of {@link createEmulatorResetWatch}. */
export interface EmulatorResetWatchDeps {
  /** The emulator's base URL (the configured HubSpot API base in local mode). */
  emulatorUrl: string;
  dataDir: string;
  log: Logger;
  now(): number;
  /** Per-check timeout, ms. Default 2000. */
  timeoutMs?: number;
}

/** Creates the watch. Checks are cheap (one local GET) and never throw: an unreachable emulator is not a reset. */
export function createEmulatorResetWatch(deps: EmulatorResetWatchDeps): EmulatorResetWatch {
  const file = path.join(deps.dataDir, 'emulator-instance.json');
  let seen = readSeen(file);

  async function currentInstanceId(): Promise<string | undefined> {
    try {
      const res = await fetch(`${deps.emulatorUrl}/_emulator/health`, { signal: AbortSignal.timeout(deps.timeoutMs ?? 2000) });
      if (!res.ok) return undefined;
      const body = (await res.json()) as { instanceId?: unknown };
      return typeof body.instanceId === 'string' ? body.instanceId : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    async check() {
      const instanceId = await currentInstanceId();
      if (instanceId !== undefined && instanceId !== seen?.instanceId) {
        const first = seen === undefined;
        seen = { instanceId, since: new Date(deps.now()).toISOString(), resetDetected: !first };
        writeSeen(file, seen, deps.log);
        if (!first) {
          deps.log.error(
            { emulatorUrl: deps.emulatorUrl },
            'The local HubSpot emulator was reset or lost its saved state: portals, installs and tokens connected before now no longer exist there. Reconnect HubSpot from each organization\'s connection page.',
          );
        }
      }
      return seen?.resetDetected ? { since: new Date(seen.since) } : undefined;
    },
  };
}

function readSeen(file: string): Seen | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Seen>;
    if (typeof value.instanceId === 'string' && typeof value.since === 'string') return { instanceId: value.instanceId, since: value.since, resetDetected: value.resetDetected === true };
  } catch {
    // Missing or unreadable: the next check records the current instance as the first one seen.
  }
  return undefined;
}

function writeSeen(file: string, seen: Seen, log: Logger): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(seen));
    fs.renameSync(tmp, file);
  } catch (err) {
    log.warn({ err }, 'could not record the emulator instance id');
  }
}
