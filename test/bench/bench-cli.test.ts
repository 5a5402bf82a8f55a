import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot, spawnTs } from '../support/spawn.js';

// The benchmark runner's command line: these calls must exit before any benchmark starts, and must
// never touch the committed results the README and docs/SCALING.md quote.
const committed = path.join(repoRoot, 'bench', 'results', 'latest.json');

describe('npm run bench command line', () => {
  it('when asked for --help, then it lists every scenario, exits 0 and leaves the committed results alone', async () => {
    const before = fs.readFileSync(committed, 'utf8');
    const run = spawnTs('bench/run.ts', {}, ['--help']);
    expect(await run.exited).toBe(0);
    for (const id of ['intake', 'owner-change', 'actions', 'budget', 'growth']) expect(run.stdout()).toContain(`  ${id} `);
    expect(run.stdout()).toContain('--save');
    expect(fs.readFileSync(committed, 'utf8')).toBe(before);
  });

  it('when a scenario name is unknown, then it names it, exits non-zero and runs nothing', async () => {
    const before = fs.readFileSync(committed, 'utf8');
    const run = spawnTs('bench/run.ts', {}, ['intake', 'no-such-scenario']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain("unknown scenario 'no-such-scenario'");
    expect(run.stderr()).not.toContain('bench: Webhook intake');
    expect(fs.readFileSync(committed, 'utf8')).toBe(before);
  });

  it('when an option is unknown, then it exits non-zero with the usage', async () => {
    const run = spawnTs('bench/run.ts', {}, ['--fast']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('Usage: npm run bench');
  });
});
