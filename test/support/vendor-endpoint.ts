// The vendor's event endpoint in the help-desk stories: a plain HTTP server that records every push,
// and the signature check the vendor runs on each (README: event pushes).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One push as the vendor received it. */
export interface Pushed {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Starts the endpoint on a free port; `received` fills as pushes arrive. */
export async function startVendorEndpoint(): Promise<{ url: string; received: Pushed[]; close: () => Promise<void> }> {
  const received: Pushed[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Whether a push carries a valid `x-switchboard-signature` for the destination's secret. */
export function signatureValid(secret: string, p: Pushed): boolean {
  const expected = `v1=${crypto.createHmac('sha256', secret).update(`${String(p.headers['x-switchboard-timestamp'])}.${p.body}`).digest('hex')}`;
  const got = String(p.headers['x-switchboard-signature']);
  return got.length === expected.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}
