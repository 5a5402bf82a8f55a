// Load generator for synchronous workflow actions, in its own process: HubSpot-shaped execution
// requests (custom-action reference), signed v2 + v3 like HubSpot's, closed loop at CONCURRENCY. Each lane alternates
// Pause AI and Resume AI on its own tickets, so every request changes a conversation's state (a
// write, an audit row, an outbox event), none is a no-op. Env: TARGET, SECRET, PORTALS (JSON
// [{ portalId, ticketIds }]: lane i works on portal i mod n), CONCURRENCY, WARMUP_MS, DURATION_MS,
// RUN_ID. Prints {"result":{…}} (`total`: every request answered, warm-up included).
import http from 'node:http';
import { signedHeaders } from '../../emulator/src/signing.js';
import { latencySummary } from '../lib/stats.js';

const target = process.env.TARGET!;
const secret = process.env.SECRET!;
const portals = JSON.parse(process.env.PORTALS!) as { portalId: number; ticketIds: number[] }[];
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const warmupMs = Number(process.env.WARMUP_MS ?? 2000);
const durationMs = Number(process.env.DURATION_MS ?? 8000);
const runId = process.env.RUN_ID ?? String(Date.now());
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let seq = 0;
let firstFailure: string | undefined;

function post(portalId: number, action: 'pause-ai' | 'resume-ai', ticketId: number): Promise<{ ms: number; ok: boolean }> {
  seq += 1;
  const url = `${target}/hubspot/actions/${action}`;
  const body = JSON.stringify({
    callbackId: `ap-${portalId}-${runId}-${seq}-0`,
    origin: { portalId, actionDefinitionId: 10001, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 5000001 },
    object: { objectId: ticketId, objectType: 'TICKET', properties: {} },
    inputFields: action === 'pause-ai' ? { reason: 'Bench: agent takes over' } : {},
  });
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: Date.now(), versions: ['v2', 'v3'] }) };
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const text = Buffer.concat(chunks).toString('utf8');
        const good = res.statusCode === 200 && text.includes('"hs_execution_state":"SUCCESS"');
        if (!good && firstFailure === undefined) firstFailure = `${res.statusCode} ${text.slice(0, 300)}`;
        resolve({ ms, ok: good });
      });
    });
    req.on('error', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }));
    req.end(body);
  });
}

const latencies: number[] = [];
let ok = 0;
let failed = 0;
// Every answered request, warm-up included (for CPU per action over the whole run).
let total = 0;
const measureFrom = Date.now() + warmupMs;
const end = measureFrom + durationMs;
await Promise.all(
  Array.from({ length: concurrency }, async (_, lane) => {
    const portal = portals[lane % portals.length]!;
    const lanesOnPortal = Math.ceil(concurrency / portals.length);
    const slot = Math.floor(lane / portals.length);
    const mine = portal.ticketIds.filter((_t, i) => i % lanesOnPortal === slot);
    for (let round = 0; Date.now() < end; round++) {
      const sentAt = Date.now();
      const r = await post(portal.portalId, round % 2 === 0 ? 'pause-ai' : 'resume-ai', mine[Math.floor(round / 2) % mine.length]!);
      total++;
      if (sentAt < measureFrom) continue;
      if (r.ok) {
        ok++;
        latencies.push(r.ms);
      } else failed++;
    }
  }),
);
const seconds = (Date.now() - measureFrom) / 1000;
process.stdout.write(`${JSON.stringify({ result: { ok, failed, total, perSecond: ok / seconds, latency: latencySummary(latencies), firstFailure } })}\n`, () => process.exit(0));
