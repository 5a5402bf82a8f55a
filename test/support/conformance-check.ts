// Runs after every test file (jest.config.js `setupFilesAfterEnv`): every request the backend sent to
// an emulator in this file matched HubSpot's published API reference for that endpoint (a known
// operation, its query parameters, its body model; emulator/src/conformance/). Emulators created in
// the file's process register themselves; spawned emulators print each violation with a marker,
// which is looked for in the file's child-process output. A violation fails the file.
import { afterAll } from '@jest/globals';
import { allRecordedViolations, VIOLATION_MARKER } from '../../emulator/src/conformance/recorder.js';
import { childOutputText } from './secret-registry.js';

/** The violations of this test file, one line each (in-process emulators and spawned ones). */
export function conformanceFailures(): string[] {
  const inProcess = allRecordedViolations().map((v) => `${v.method} ${v.path} (${v.rule}) ${v.detail}`);
  const spawned = childOutputText().flatMap((text) => text.split('\n').filter((line) => line.includes(VIOLATION_MARKER)));
  return [...inProcess, ...spawned];
}

/** Throws when this test file has any violation (what the hook below runs after every file). */
export function assertConformance(): void {
  const failures = conformanceFailures();
  if (failures.length === 0) return;
  const shown = failures.slice(0, 10).map((f) => `- ${f}`);
  throw new Error(`HubSpot conformance check: ${failures.length} request(s) the backend sent in this test file do not match HubSpot's API reference:\n${shown.join('\n')}`);
}

afterAll(assertConformance);
