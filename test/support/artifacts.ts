import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './spawn.js';

/** Where suites write the figures they measured (git-ignored; the README quotes them). */
export const ARTIFACTS_DIR = path.join(repoRoot, 'test', 'artifacts');

/**
 * Writes what a suite measured to `test/artifacts/<name>.json`, one file per suite so suites running
 * in parallel never write the same file.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS_DIR, `${name}.json`), `${JSON.stringify({ suite: name, node: process.version, at: new Date().toISOString(), ...figures }, null, 2)}\n`);
}
