// Saving the emulator's state to one JSON file (`<dataDir>/emulator-state.json`), so `npm start` can be
// stopped and started again without losing portals, installs, tokens, records and workflow callbacks.
// Writes are debounced (many requests, one write), atomic (a temporary file renamed over the old one,
// so a crash mid-write leaves the previous state) and forced on stop and reset.
import fs from 'node:fs';
import path from 'node:path';
import { asSavedState, type SavedState } from './state/saved.js';

/** The file name inside the data folder. */
export const STATE_FILE_NAME = 'emulator-state.json';

/**
 * Reads a saved state.
 * @param file the state file
 * @param warn where to say that an unreadable file was set aside
 * @returns the state, or undefined when there is none (or it cannot be read: the emulator starts fresh)
 */
export function loadSavedState(file: string, warn: (message: string) => void): SavedState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let saved: SavedState | undefined;
  try {
    saved = asSavedState(JSON.parse(text));
  } catch {
    saved = undefined;
  }
  if (saved === undefined) {
    // Keep the unreadable file for inspection instead of overwriting it with the fresh state.
    const aside = `${file}.unreadable-${Date.now()}`;
    fs.renameSync(file, aside);
    warn(`emulator: ${file} is not a saved state this version can read; starting fresh (kept as ${aside})`);
  }
  return saved;
}

/** Writes the state file. */
export interface StateSaver {
  /** Asks for a write soon; calls within the debounce window share one write. */
  schedule(): void;
  /** Writes now (cancels a scheduled write). */
  saveNow(): void;
  /** Writes any scheduled change and stops scheduling. */
  stop(): void;
}

/** Options of {@link createStateSaver}. */
export interface StateSaverOptions {
  file: string;
  snapshot(): SavedState;
  /** Wait after the first change before writing, in ms. Default 200. */
  debounceMs?: number;
  warn(message: string): void;
}

/** Creates the debounced, atomic writer of the state file. */
export function createStateSaver(opts: StateSaverOptions): StateSaver {
  const debounceMs = opts.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });

  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const tmp = `${opts.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(opts.snapshot()), { mode: 0o600 });
      fs.renameSync(tmp, opts.file);
    } catch (err) {
      // The running emulator keeps working; only the next restart would lose the latest changes.
      opts.warn(`emulator: could not save its state to ${opts.file}: ${(err as Error).message}`);
    }
  };

  return {
    schedule() {
      if (stopped || timer) return;
      timer = setTimeout(write, debounceMs);
      timer.unref();
    },
    saveNow() {
      if (!stopped) write();
    },
    stop() {
      if (stopped) return;
      write();
      stopped = true;
    },
  };
}
