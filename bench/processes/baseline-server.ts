// The baseline the intake and workflow-action figures are divided by: a bare node:http server that
// checks HubSpot's signature exactly like the backend (same functions) and answers 200, storing
// nothing. Whatever the backend does beyond this (parsing, validation, Postgres, pg-boss) is what
// the ratio measures. Env: PORT, CLIENT_SECRET, PUBLIC_BASE_URL. Prints {"ready":{"url"}}.
import http from 'node:http';
import { verifyV2, verifyV3 } from '../../backend/src/hubspot/signatures.js';

const secret = process.env.CLIENT_SECRET!;
const publicBaseUrl = process.env.PUBLIC_BASE_URL!;
const ACTION_ANSWER = JSON.stringify({ outputFields: { hs_execution_state: 'SUCCESS' } });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks);
    const uri = publicBaseUrl + (req.url ?? '/');
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    let ok: boolean;
    let body: string;
    if (req.url === '/hubspot/webhooks') {
      ok = verifyV3({ clientSecret: secret, method: req.method ?? 'POST', uri, rawBody, signature: header('x-hubspot-signature-v3'), timestamp: header('x-hubspot-request-timestamp'), now: Date.now() }).ok;
      body = '{}';
    } else {
      ok = verifyV2({ clientSecret: secret, method: req.method ?? 'POST', uri, rawBody, signature: header('x-hubspot-signature') }).ok;
      body = ACTION_ANSWER;
    }
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? body : '{"error":{"code":"signature_invalid"}}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ ready: { url: `http://127.0.0.1:${address.port}` } }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
