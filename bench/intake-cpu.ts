// `npx tsx bench/intake-cpu.ts`: the Node CPU of intake's own work on one signed 100-event body of
// the bench's mix (bench/lib/events.ts), in this process, without HTTP or Postgres: the v3 signature
// check, `readBatch` (decode, parse, check each element) and the inbox rows (`acceptedRow`, with its
// dedupe key), and, for the record, the column arrays node-postgres then turns into array literals.
// Each stage is timed on its own and all together over ITERATIONS bodies (BODIES distinct ones,
// reused round-robin), ROUNDS times, with process.cpuUsage (user + system), after a warm-up.
// Prints µs of CPU per body for each round and their median, min and max: the machine may be shared,
// so compare runs made back to back. `node --cpu-prof --import tsx bench/intake-cpu.ts` profiles it.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { signedHeaders } from '../emulator/src/signing.js';
import { verifyV3 } from '../backend/src/hubspot/signatures.js';
import { readBatch } from '../backend/src/modules/webhooks/intake.js';
import { acceptedRow } from '../backend/src/modules/webhooks/inbox-rows.js';
import type { NewWebhookEventRow } from '../backend/src/modules/webhooks/webhooks.table.js';
import { benchEvent } from './lib/events.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 1_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BODIES = Number(process.env.BODIES ?? 200);
const BATCH = 100;
const PORTAL = 62515;
const APP_ID = 424242;
const URL = 'http://127.0.0.1:3000/hubspot/webhooks';

// node-postgres's own serialisation of a parameter (arrays become '{…}' literals).
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };

const secret = crypto.randomBytes(16).toString('hex');
const now = Date.now();
const bodies = Array.from({ length: BODIES }, (_, b) => {
  const body = JSON.stringify(Array.from({ length: BATCH }, (_, i) => benchEvent(1 + b * BATCH + i, PORTAL, APP_ID, now)));
  const headers = signedHeaders({ method: 'POST', url: URL, body, clientSecret: secret, timestamp: now, versions: ['v3'] });
  return { raw: Buffer.from(body, 'utf8'), signature: headers['X-HubSpot-Signature-v3'], timestamp: headers['X-HubSpot-Request-Timestamp'] };
});

let sink = 0;
const verify = (b: (typeof bodies)[number]) => {
  const check = verifyV3({ clientSecret: secret, method: 'POST', uri: URL, rawBody: b.raw, signature: b.signature, timestamp: b.timestamp, now });
  if (!check.ok) throw new Error(`signature refused: ${check.reason}`);
};
const read = (b: (typeof bodies)[number]) => readBatch(b.raw);
const rows = (batch: ReturnType<typeof readBatch>) => {
  const out: NewWebhookEventRow[] = [];
  for (const c of batch.events) if (c.ok) out.push(acceptedRow(c.event, c.raw));
  if (out.length !== BATCH) throw new Error(`${BATCH - out.length} events refused`);
  return out;
};
const columns = (r: NewWebhookEventRow[]) => {
  const col = <T>(f: (r: NewWebhookEventRow) => T) => prepareValue(r.map(f)) as string;
  sink += col((x) => x.dedupe_key).length + col((x) => x.portal_id).length + col((x) => x.subscription_type).length + col((x) => x.object_id).length;
  sink += col((x) => x.event_id).length + col((x) => (x.occurred_at as Date).toISOString()).length + col((x) => x.property_name ?? null).length;
  sink += col((x) => x.property_value ?? null).length + col((x) => x.payload ?? null).length;
};

// The rows and arrays stages start from a few bodies read once: holding every body's read batch
// would give the collector a large live set that a server's request does not leave behind.
const KEPT = 10;
const readBatches = bodies.slice(0, KEPT).map(read);
const builtRows = readBatches.map(rows);
const stages: Record<string, (i: number) => void> = {
  signature: (i) => verify(bodies[i % BODIES]!),
  readBatch: (i) => void (sink += read(bodies[i % BODIES]!).events.length),
  rows: (i) => void (sink += rows(readBatches[i % KEPT]!).length),
  'verify+read+rows': (i) => {
    const b = bodies[i % BODIES]!;
    verify(b);
    sink += rows(read(b)).length;
  },
  'pg arrays (info)': (i) => columns(builtRows[i % KEPT]!),
};

const cpuMicros = (f: (i: number) => void, n: number): number => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) f(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
};

for (const f of Object.values(stages)) cpuMicros(f, Math.min(ITERATIONS, 500));
const results: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, f] of Object.entries(stages)) (results[name] ??= []).push(cpuMicros(f, ITERATIONS));
}
const fmt = (v: number) => v.toFixed(0).padStart(6);
console.log(`µs of CPU per ${BATCH}-event body (${ITERATIONS} bodies × ${ROUNDS} rounds; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
for (const [name, values] of Object.entries(results)) {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(`${name.padEnd(18)} median ${fmt(sorted[Math.floor(sorted.length / 2)]!)}  min ${fmt(sorted[0]!)}  max ${fmt(sorted.at(-1)!)}  rounds ${values.map((v) => v.toFixed(0)).join(' ')}`);
}
if (sink < 0) console.log(sink);
