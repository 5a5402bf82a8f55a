// `npm run bench`: every benchmark in one command, each figure beside its baseline from the same
// run. Prints a table and writes .data/bench/latest.json; `--save` also writes the committed
// bench/results/<date>-<cores>c.json and bench/results/latest.json (a plain run must never
// overwrite the figures the docs quote). `npm run bench -- intake budget` runs only those
// scenarios; `--quick` shortens everything (harness checks); `--help` lists them. Uses
// DATABASE_URL's server when set, else embedded Postgres in a temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchPostgres } from './lib/db.js';
import { describeMachine } from './lib/machine.js';
import { repoRoot, stopStragglers } from './lib/procs.js';
import { printTable } from './lib/table.js';
import type { BenchOptions, Figure, Scenario } from './lib/types.js';
import { actionsScenario } from './scenarios/actions.js';
import { budgetScenario } from './scenarios/budget.js';
import { growthScenario } from './scenarios/growth.js';
import { intakeScenario } from './scenarios/intake.js';
import { ownerChangeScenario } from './scenarios/owner-change.js';
import { processingScenario } from './scenarios/processing.js';
import { soakScenario } from './scenarios/soak.js';
import { workersScenario } from './scenarios/workers.js';

const scenarios: Scenario[] = [intakeScenario, processingScenario, ownerChangeScenario, actionsScenario, workersScenario, soakScenario, budgetScenario, growthScenario];

const usage = `Usage: npm run bench -- [--save] [--quick] [--soak-minutes N] [--background-rate N] [scenario ...]

Runs the benchmarks (all of them when no scenario is named), each figure beside a baseline measured
in the same run, and prints a table.

Scenarios:
${scenarios.map((s) => `  ${s.id.padEnd(14)}${s.title}`).join('\n')}

Options:
  --save                 also write bench/results/<date>-<cores>c.json and bench/results/latest.json
                         (the committed results the docs quote); without it the report goes to
                         .data/bench/latest.json only
  --quick                short durations and small backlogs (soak 1 minute unless --soak-minutes):
                         checks that the harness runs; its figures are not the reference ones
  --soak-minutes N       measured length of the soak after its warm-up (default 10)
  --background-rate N    intake rate behind the owner-change measurement (default 5000 events/s)
  --help                 show this help`;

let args: { save: boolean; help: boolean; only: string[]; options: BenchOptions };
try {
  const parsed = parseArgs({
    options: {
      save: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string' },
      'background-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  const quick = parsed.values.quick ?? false;
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  args = {
    save: parsed.values.save ?? false,
    help: parsed.values.help ?? false,
    only: parsed.positionals,
    options: { quick, soakMinutes: positive('soak-minutes', parsed.values['soak-minutes'], quick ? 1 : 10), backgroundRate: positive('background-rate', parsed.values['background-rate'], 5_000) },
  };
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const unknown = args.only.filter((id) => !scenarios.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(`bench: unknown scenario ${unknown.map((u) => `'${u}'`).join(', ')}\n\n${usage}`);
  process.exit(2);
}
const selected = args.only.length > 0 ? scenarios.filter((s) => args.only.includes(s.id)) : scenarios;
const started = Date.now();
const pg = await startBenchPostgres();
const machine = describeMachine(pg.version);
console.error(`bench: ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}, load ${machine.loadAtStart.join(' ')}${args.options.quick ? ' (quick)' : ''}`);
const results: { scenario: string; title: string; figures: Figure[]; seconds: number; error?: string }[] = [];
try {
  for (const scenario of selected) {
    const t0 = Date.now();
    console.error(`bench: ${scenario.title}…`);
    try {
      const figures = await scenario.run({ pg, options: args.options, note: (m) => console.error(`  ${m}`) });
      results.push({ scenario: scenario.id, title: scenario.title, figures, seconds: Math.round((Date.now() - t0) / 1000) });
    } catch (err) {
      console.error(err);
      results.push({ scenario: scenario.id, title: scenario.title, figures: [], seconds: Math.round((Date.now() - t0) / 1000), error: String(err instanceof Error ? err.message : err).slice(0, 2000) });
    }
    const left = await stopStragglers();
    if (left > 0) console.error(`  stopped ${left} process(es) the scenario left running`);
  }
} finally {
  await pg.stop();
}
machine.loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
const report = { startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), options: args.options, machine, scenarios: results };
printTable(report);
const dated = `${report.startedAt.slice(0, 10)}-${machine.cores}c.json`;
const targets = [path.join('.data', 'bench', 'latest.json'), ...(args.save ? [path.join('bench', 'results', dated), path.join('bench', 'results', 'latest.json')] : [])];
for (const target of targets) {
  fs.mkdirSync(path.dirname(path.join(repoRoot, target)), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, target), `${JSON.stringify(report, null, 2)}\n`);
}
console.log(`\nwritten: ${targets.join(', ')} (${report.seconds} s)${args.save ? '' : ' — add --save to update the committed results'}`);
process.exit(results.some((r) => r.error) ? 1 : 0);
