// Load generator for webhook intake, in its own process: signed (v3) batches of HubSpot-shaped
// events (a mix of the subscribed types), either closed-loop (CONCURRENCY requests always in flight, as HubSpot's per-portal cap
// does) or open-loop (RATE events per second, for background load). Every event is new (unique
// eventId), so the backend stores every one. Env: TARGET, SECRET, PORTAL_IDS (comma-separated),
// MODE (closed|open), CONCURRENCY, RATE, BATCH, WARMUP_MS, DURATION_MS, EVENT_ID_BASE, APP_ID,
// REQUEST_TIMEOUT_MS, TOTAL_EVENTS (stop once that many were sent; 0: no limit). Starts at once (the
// first WARMUP_MS are not measured) and prints {"result":{…}} at the end; `accepted` counts every event answered 200,
// warm-up included (what HubSpot would consider delivered).
import http from 'node:http';
import { signedHeaders } from '../../emulator/src/signing.js';
import { benchEvent } from '../lib/events.js';
import { latencySummary } from '../lib/stats.js';

const target = process.env.TARGET!;
const secret = process.env.SECRET!;
const portals = (process.env.PORTAL_IDS ?? '62515').split(',').map(Number);
const mode = process.env.MODE ?? 'closed';
const concurrency = Number(process.env.CONCURRENCY ?? 10);
const rate = Number(process.env.RATE ?? 1000);
const batchSize = Number(process.env.BATCH ?? 100);
const warmupMs = Number(process.env.WARMUP_MS ?? 2000);
const durationMs = Number(process.env.DURATION_MS ?? 8000);
let eventId = Number(process.env.EVENT_ID_BASE ?? 1);
const appId = Number(process.env.APP_ID ?? 424242);
// A request unanswered this long counts as failed (HubSpot, too, gives up on a slow delivery and
// retries later), so an overwhelmed backend cannot keep the generator from reporting.
const requestTimeoutMs = Number(process.env.REQUEST_TIMEOUT_MS ?? 30_000);
const totalEvents = Number(process.env.TOTAL_EVENTS ?? 0);
let sent = 0;
let accepted = 0;
let refused = 0;
const exhausted = () => totalEvents > 0 && sent >= totalEvents;
const url = `${target}/hubspot/webhooks`;
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 64) });
let batchNo = 0;

function nextBatch(): { body: string; headers: Record<string, string> } {
  const now = Date.now();
  const portalId = portals[batchNo++ % portals.length]!;
  sent += batchSize;
  const events = [];
  for (let i = 0; i < batchSize; i++) events.push(benchEvent(eventId++, portalId, appId, now));
  const body = JSON.stringify(events);
  return { body, headers: { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: now, versions: ['v1', 'v3'] }) } };
}

function post(): Promise<{ ms: number; ok: boolean }> {
  const { body, headers } = nextBatch();
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) accepted += batchSize;
        else refused += batchSize;
        resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: res.statusCode === 200 });
      });
    });
    // From the moment the request is made: waiting for one of the agent's sockets counts too.
    const timer = setTimeout(() => req.destroy(new Error('timeout')), requestTimeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', () => {
      refused += batchSize;
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false });
    });
    req.end(body);
  });
}

async function run(): Promise<Record<string, unknown>> {
  const latencies: number[] = [];
  let okBatches = 0;
  let failed = 0;
  const start = Date.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const record = (r: { ms: number; ok: boolean }, sentAt: number) => {
    if (sentAt < measureFrom) return;
    if (r.ok) {
      okBatches++;
      latencies.push(r.ms);
    } else failed++;
  };
  if (mode === 'closed') {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end && !exhausted()) {
          const sentAt = Date.now();
          record(await post(), sentAt);
        }
      }),
    );
  } else {
    // Open loop: batches leave on schedule whatever the answers, like HubSpot's steady traffic.
    const intervalMs = (1000 * batchSize) / rate;
    const inFlight: Promise<void>[] = [];
    for (let next = Date.now(); next < end && !exhausted(); next += intervalMs) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sentAt = Date.now();
      inFlight.push(post().then((r) => record(r, sentAt)));
    }
    await Promise.all(inFlight);
  }
  const seconds = Math.max(0.001, (Date.now() - measureFrom) / 1000);
  return { accepted, refused, batches: okBatches, failed, events: okBatches * batchSize, seconds, eventsPerSecond: (okBatches * batchSize) / seconds, latency: latencySummary(latencies) };
}

// Exit only once the line is flushed: stdout is a pipe, and process.exit would cut it short.
process.stdout.write(`${JSON.stringify({ result: await run() })}\n`, () => process.exit(0));
