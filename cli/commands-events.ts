// `events tail` (the feed, optionally followed) and `listen` (receive signed pushes on this machine
// and forward them to a local URL, the way a vendor's app would receive them in production).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { PUSH_HEADERS, verifyPushSignature, type SwitchboardClient, type VendorEvent } from '../client/index.js';
import { CliError, writeLine, type Context } from './context.js';
import { intOption } from './commands-api.js';
import { run } from './run.js';

/** One line describing an event. */
export function describeEvent(e: VendorEvent): string {
  const d = e.data as Record<string, unknown>;
  const bits = ['conversationId', 'ticketId', 'source', 'actor', 'portalId', 'callbackId'].filter((k) => d[k] !== undefined && d[k] !== null).map((k) => `${k}=${String(d[k])}`);
  return `${e.createdAt}  #${e.id}  ${e.type}  ${bits.join(' ')}`;
}

/** Reads the feed from `after` until it is empty; calls `onEvent` per event. @returns the cursor */
export async function drainFeed(api: SwitchboardClient, after: string | undefined, onEvent: (e: VendorEvent) => void): Promise<string | undefined> {
  let cursor = after;
  for (;;) {
    const page = await api.listEvents({ after: cursor, limit: 100 });
    page.events.forEach(onEvent);
    if (page.events.length === 0) return page.nextCursor;
    cursor = page.nextCursor;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the push receiver; answers the backend with the forward target's status. */
export async function startListener(ctx: Context, opts: { forwardTo: string; port: number; host: string }) {
  const api = ctx.api();
  let secret = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      void (async () => {
        let event: VendorEvent;
        try {
          event = verifyPushSignature({ secret, headers: req.headers as Record<string, string>, rawBody: raw });
        } catch (err) {
          ctx.step(`✗ refused a push: ${(err as Error).message}`);
          res.writeHead(401).end();
          return;
        }
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        for (const name of Object.values(PUSH_HEADERS)) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
        try {
          const forwarded = await fetch(opts.forwardTo, { method: 'POST', headers, body: raw });
          await forwarded.body?.cancel();
          ctx.step(`→ ${describeEvent(event)}  [${forwarded.status}]`);
          res.writeHead(forwarded.ok ? 200 : 502).end();
        } catch {
          ctx.step(`→ ${describeEvent(event)}  [${opts.forwardTo} unreachable; Switchboard will retry]`);
          res.writeHead(502).end();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const url = `http://${opts.host}:${(server.address() as AddressInfo).port}/`;
  const destination = await api.setEventDestination({ url });
  secret = destination.secret;
  return {
    url,
    secret,
    async stop() {
      await api.deleteEventDestination().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Registers events and listen. */
export function registerEventCommands(program: Command): void {
  const events = program.command('events').description('The organization’s event feed');
  events
    .command('tail')
    .description('Print events, oldest first; --follow keeps printing new ones')
    .option('--after <cursor>', 'start after this event id (default: from the beginning)')
    .option('--follow', 'keep waiting for new events (Ctrl-C to stop)')
    .option('--interval <ms>', 'poll interval with --follow', intOption, 1000)
    .action((opts: { after?: string; follow?: boolean; interval: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const api = ctx.api();
        const print = (e: VendorEvent) => (ctx.json ? writeLine(JSON.stringify(e)) : writeLine(describeEvent(e)));
        let cursor = await drainFeed(api, opts.after, print);
        while (opts.follow) {
          await sleep(opts.interval);
          cursor = await drainFeed(api, cursor, print);
        }
        if (!ctx.json) writeLine(`(cursor ${cursor ?? 'none'}; continue with --after ${cursor ?? 0})`);
      }),
    );

  program
    .command('listen')
    .description('Receive signed event pushes here and forward them to a local URL (sets the event destination; removes it on exit)')
    .requiredOption('--forward-to <url>', 'where to POST each push, signature headers included (e.g. http://localhost:8080/hooks)')
    .option('--port <n>', 'port to receive pushes on (default: any free one)', (v) => (v === '0' ? 0 : intOption(v)), 0)
    .option('--host <host>', 'address to receive pushes on; the backend must reach it', '127.0.0.1')
    .action((opts: { forwardTo: string; port: number; host: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        try {
          new URL(opts.forwardTo);
        } catch {
          throw new CliError(`--forward-to is not a URL: ${opts.forwardTo}`);
        }
        const listener = await startListener(ctx, opts);
        ctx.print(
          [`Receiving pushes at ${listener.url}, forwarding to ${opts.forwardTo}.`, `Signing secret: ${listener.secret}`, '  (verify with verifyPushSignature() from client/; Ctrl-C stops and removes the destination)'],
          { url: listener.url, forwardTo: opts.forwardTo, secret: listener.secret },
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await listener.stop();
      }),
    );
}
