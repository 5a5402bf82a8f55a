// `npm run bench`: every benchmark in one command, each figure beside its baseline from the same
// run. Prints a table and writes bench/results/latest.json. `npm run bench -- intake budget` runs
// only those scenarios. Uses DATABASE_URL's server when set, else embedded Postgres in a temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchPostgres } from './lib/db.js';
import { describeMachine } from './lib/machine.js';
import { repoRoot } from './lib/procs.js';
import { printTable } from './lib/table.js';
import type { Figure, Scenario } from './lib/types.js';
import { actionsScenario } from './scenarios/actions.js';
import { budgetScenario } from './scenarios/budget.js';
import { growthScenario } from './scenarios/growth.js';
import { intakeScenario } from './scenarios/intake.js';
import { ownerChangeScenario } from './scenarios/owner-change.js';

const scenarios: Scenario[] = [intakeScenario, ownerChangeScenario, actionsScenario, budgetScenario, growthScenario];

const only = process.argv.slice(2);
const selected = only.length > 0 ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
const started = Date.now();
const pg = await startBenchPostgres();
const machine = describeMachine(pg.version);
console.error(`bench: ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}, load ${machine.loadAtStart.join(' ')}`);
const results: { scenario: string; title: string; figures: Figure[]; seconds: number; error?: string }[] = [];
try {
  for (const scenario of selected) {
    const t0 = Date.now();
    console.error(`bench: ${scenario.title}…`);
    try {
      const figures = await scenario.run({ pg, note: (m) => console.error(`  ${m}`) });
      results.push({ scenario: scenario.id, title: scenario.title, figures, seconds: Math.round((Date.now() - t0) / 1000) });
    } catch (err) {
      console.error(err);
      results.push({ scenario: scenario.id, title: scenario.title, figures: [], seconds: Math.round((Date.now() - t0) / 1000), error: String(err instanceof Error ? err.message : err).slice(0, 2000) });
    }
  }
} finally {
  await pg.stop();
}
machine.loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
const report = { startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), machine, scenarios: results };
printTable(report);
const dir = path.join(repoRoot, 'bench', 'results');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: bench/results/latest.json (${report.seconds} s)`);
process.exit(results.some((r) => r.error) ? 1 : 0);
