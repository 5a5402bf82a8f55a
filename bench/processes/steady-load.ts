// Steady open-loop load for the soak, in its own process: workflow actions (Pause AI / Resume AI,
// signed v2 + v3 like HubSpot's, each a state change) and card reads (GET of the ticket card's
// record endpoint with the card's identity parameters, signed v3 over the full URL like
// hubspot.fetch) at fixed rates, whatever the answers. Latencies are kept per window of WINDOW_MS
// from the start of the measurement (after WARMUP_MS). Env: TARGET, SECRET, APP_ID, PORTALS (JSON
// [{ portalId, ticketIds }]), ACTION_RATE, CARD_RATE, WARMUP_MS, DURATION_MS, WINDOW_MS, RUN_ID.
// Prints {"result":{…}}.
import http from 'node:http';
import { signedHeaders } from '../../emulator/src/signing.js';
import { latencySummary } from '../lib/stats.js';

const target = process.env.TARGET!;
const secret = process.env.SECRET!;
const appId = Number(process.env.APP_ID);
const portals = JSON.parse(process.env.PORTALS!) as { portalId: number; ticketIds: number[] }[];
const actionRate = Number(process.env.ACTION_RATE ?? 20);
const cardRate = Number(process.env.CARD_RATE ?? 20);
const warmupMs = Number(process.env.WARMUP_MS ?? 60_000);
const durationMs = Number(process.env.DURATION_MS ?? 600_000);
const windowMs = Number(process.env.WINDOW_MS ?? 60_000);
const runId = process.env.RUN_ID ?? String(Date.now());
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const tickets = portals.flatMap((p) => p.ticketIds.map((ticketId) => ({ portalId: p.portalId, ticketId })));

interface Outcome {
  ms: number;
  ok: boolean;
  failure?: string;
}

function send(method: 'GET' | 'POST', url: string, body: string, headers: Record<string, string>, good: (status: number, text: string) => boolean): Promise<Outcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const ok = good(res.statusCode ?? 0, text);
        resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok, ...(ok ? {} : { failure: `${res.statusCode} ${text.slice(0, 300)}` }) });
      });
    });
    // Unanswered 30 s after it was made (waiting for a socket included) counts as failed, so the soak
    // always ends.
    const timer = setTimeout(() => req.destroy(new Error('timeout after 30 s')), 30_000);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false, failure: err.message }));
    req.end(body);
  });
}

let actionSeq = 0;
function action(): Promise<Outcome> {
  // Every ticket in turn is paused, then (one round later) resumed: each request changes state.
  const n = actionSeq++;
  const { portalId, ticketId } = tickets[n % tickets.length]!;
  const name = Math.floor(n / tickets.length) % 2 === 0 ? 'pause-ai' : 'resume-ai';
  const url = `${target}/hubspot/actions/${name}`;
  const body = JSON.stringify({
    callbackId: `ap-${portalId}-${runId}-${n}-0`,
    origin: { portalId, actionDefinitionId: 10001, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 5000001 },
    object: { objectId: ticketId, objectType: 'TICKET', properties: {} },
    inputFields: name === 'pause-ai' ? { reason: 'Bench: agent takes over' } : {},
  });
  const headers = { 'content-type': 'application/json', ...signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: Date.now(), versions: ['v2', 'v3'] }) };
  return send('POST', url, body, headers, (status, text) => status === 200 && text.includes('"hs_execution_state":"SUCCESS"'));
}

let cardSeq = 0;
function cardRead(): Promise<Outcome> {
  const { portalId, ticketId } = tickets[(cardSeq++ * 7) % tickets.length]!;
  const url = `${target}/hubspot/ui/records/tickets/${ticketId}?portalId=${portalId}&userId=7000001&userEmail=${encodeURIComponent('agent@bench.example')}&appId=${appId}`;
  const headers = signedHeaders({ method: 'GET', url, body: '', clientSecret: secret, timestamp: Date.now(), versions: ['v3'] });
  return send('GET', url, '', headers, (status, text) => status === 200 && text.includes('"conversations":[{'));
}

interface Windowed {
  latencies: number[][];
  ok: number;
  failed: number;
  firstFailure?: string;
}

async function drive(rate: number, fn: () => Promise<Outcome>, out: Windowed, start: number, end: number): Promise<void> {
  if (rate <= 0) return;
  const intervalMs = 1000 / rate;
  const measureFrom = start + warmupMs;
  const inFlight: Promise<void>[] = [];
  for (let next = start; next < end; next += intervalMs) {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sentAt = Date.now();
    inFlight.push(
      fn().then((r) => {
        if (sentAt < measureFrom) return;
        if (!r.ok) {
          out.failed++;
          out.firstFailure ??= r.failure;
          return;
        }
        out.ok++;
        const w = Math.floor((sentAt - measureFrom) / windowMs);
        (out.latencies[w] ??= []).push(r.ms);
      }),
    );
    if (inFlight.length > 10_000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
}

const start = Date.now();
const end = start + warmupMs + durationMs;
const actions: Windowed = { latencies: [], ok: 0, failed: 0 };
const cards: Windowed = { latencies: [], ok: 0, failed: 0 };
await Promise.all([drive(actionRate, action, actions, start, end), drive(cardRate, cardRead, cards, start, end)]);
const summary = (w: Windowed) => ({ ok: w.ok, failed: w.failed, firstFailure: w.firstFailure, windows: Array.from({ length: w.latencies.length }, (_, i) => latencySummary(w.latencies[i] ?? [])) });
process.stdout.write(`${JSON.stringify({ result: { actions: summary(actions), cards: summary(cards) } })}\n`, () => process.exit(0));
