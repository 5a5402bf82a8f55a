import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** One raw answer. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: unknown;
}

/** One raw request: the path goes on the wire exactly as given (no URL normalisation). */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | readonly string[] | undefined>;
  body?: string | Buffer;
}

/** A listening app and a keep-alive client that sends paths and headers untouched. */
export interface RawClient {
  origin: string;
  send(req: RawRequest): Promise<RawResponse>;
  /** Requests sent so far. */
  count(): number;
  close(): Promise<void>;
}

/**
 * Listens on a free port and returns a client. Unlike fetch (which resolves `..` and rewrites `\`)
 * or supertest (a new socket per request), it sends the path as given over kept-alive sockets, so
 * tens of thousands of hostile requests stay fast and mean what they say.
 */
export async function listenRaw(app: Express): Promise<RawClient> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let sent = 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    count: () => sent,
    send(req) {
      sent += 1;
      return sendOnce(req).catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
        // An idle keep-alive socket the server closed just as this request went out (its keep-alive
        // timeout raced the reuse): nothing reached the server, so one more try on a fresh socket is
        // safe. Node's documented idiom (`request.reusedSocket`); any other error is the answer.
        if (err.reusedSocket && err.code === 'ECONNRESET') return sendOnce(req);
        throw err;
      });
    },
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  function sendOnce(req: RawRequest): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[name] = typeof value === 'string' ? value : [...value];
      if (body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = body.length;
      const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (String(res.headers['content-type'] ?? '').includes('json')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      r.on('error', (err) => reject(Object.assign(err, { reusedSocket: r.reusedSocket })));
      if (body !== undefined) r.write(body);
      r.end();
    });
  }
}

/** A tiny HTTP server that counts what reaches it (a stand-in for a host nobody should call). */
export interface Canary {
  url: string;
  hits(): { method: string; url: string }[];
  close(): Promise<void>;
}

/** Starts a canary answering every request with `status` and a JSON body. */
export async function startCanary(answer: { status: number; body: unknown } = { status: 200, body: {} }): Promise<Canary> {
  const hits: { method: string; url: string }[] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '' });
    req.resume();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => [...hits],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
