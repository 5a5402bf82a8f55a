// The `switchboard` CLI: `npx switchboard --help` and every command's --help, a failure that says
// what to do, and `switchboard demo` against a real backend and emulator over HTTP.
import { execFile } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Command } from 'commander';
import { createContext } from '../../cli/context.js';
import { runDemo } from '../../cli/demo.js';
import { buildProgram } from '../../cli/program.js';
import { repoRoot } from '../support/spawn.js';
import { eventually } from '../support/eventually.js';
import { connectOrganization, DEMO_PORTAL_ID, startHubSpotStack, type ConnectedOrganization, type HubSpotStack } from '../support/hubspot-stack.js';

const run = promisify(execFile);

/** Every command path of the program (`['trigger', 'owner-change']`, …). */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

/** Runs the program in-process with `args`; returns what it printed and whether it exited 0. */
async function parse(args: string[]): Promise<{ out: string; code: number }> {
  let out = '';
  const program = buildProgram();
  const silence = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    c.commands.forEach(silence);
  };
  silence(program);
  try {
    await program.parseAsync(['node', 'switchboard', ...args]);
    return { out, code: 0 };
  } catch (err) {
    return { out, code: (err as { exitCode?: number }).exitCode ?? 1 };
  }
}

describe('switchboard --help', () => {
  test('when `npx switchboard --help` runs in the repository, then it lists every top-level command and exits 0', async () => {
    const { stdout } = await run('npx', ['--no-install', 'switchboard', '--help'], { cwd: repoRoot, env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' } });
    expect(stdout).toMatch(/^Usage: switchboard/);
    for (const name of ['org', 'install-link', 'connect', 'status', 'conversations', 'trigger', 'actions', 'events', 'listen', 'emulator', 'demo']) expect(stdout).toContain(`  ${name}`);
  });

  test('when a subcommand’s --help runs through the bin, then it prints that command’s usage', async () => {
    const { stdout } = await run(process.execPath, ['cli/bin.mjs', 'trigger', 'owner-change', '--help'], { cwd: repoRoot });
    expect(stdout).toMatch(/^Usage: switchboard trigger owner-change \[options\]/);
    expect(stdout).toContain('--ticket <id>');
  });

  test('when every command is asked for --help, then each prints its own usage and exits 0', async () => {
    const paths = commandPaths(buildProgram()).filter((p) => p.at(-1) !== 'help');
    expect(paths.length).toBeGreaterThanOrEqual(18);
    for (const path of paths) {
      const { out, code } = await parse([...path, '--help']);
      expect({ path, code }).toStrictEqual({ path, code: 0 });
      expect(out).toContain(`Usage: switchboard ${path.join(' ')}`);
    }
  });

  test('when the backend is not running, then the command exits 1 and says how to start it', async () => {
    // A port nobody listens on: taken, then released.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const result = await run(process.execPath, ['cli/bin.mjs', '--url', url, '--api-key', 'k', 'status'], { cwd: repoRoot }).catch((err: { code: number; stderr: string }) => err);
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stderr: string }).stderr).toContain(`Cannot reach the backend at ${url}`);
    expect((result as { stderr: string }).stderr).toContain('npm start');
  });
});

describe('switchboard demo against a running stack', () => {
  let stack: HubSpotStack;
  beforeAll(async () => {
    stack = await startHubSpotStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  test('when the demo runs, then it connects, pauses on takeover, runs every workflow action to SUCCESS and disconnects', async () => {
    const ctx = createContext({ url: stack.backendUrl, emulatorUrl: stack.emulator.url, adminKey: stack.backend.config.adminApiKey, dataDir: `${repoRoot}/.tmp/cli-e2e` }, {});
    const lines: string[] = [];

    const report = await runDemo(ctx, (line) => lines.push(line));

    expect(report.executions).toStrictEqual({ 'resume-ai': 'SUCCESS', 'send-to-ai': 'SUCCESS', 'pause-ai': 'SUCCESS', 'request-handoff': 'SUCCESS' });
    expect(report.events).toStrictEqual(['connection.connected', 'ai.paused', 'ai.resumed', 'record.sent_to_ai', 'ai.paused', 'ai.handoff_requested', 'connection.disconnected']);
    expect(lines).toHaveLength(11);
    // What the backend holds afterwards.
    expect((await stack.backend.services.connections.getStatus(report.organizationId)).status).toBe('disconnected');
    const transitions = await stack.backend.services.conversations.getHistory(report.organizationId, report.conversationId);
    expect(transitions.transitions.map((t) => [t.toState, t.source])).toStrictEqual([
      ['paused', 'owner_change'],
      ['active', 'workflow'],
      ['paused', 'workflow'],
      ['handoff_requested', 'workflow'],
    ]);
  });
});

describe('switchboard helpdesk and messages against a running stack', () => {
  const DEVELOPER_KEY = 'devkey-cli-helpdesk-0123456789';
  let stack: HubSpotStack;
  let org: ConnectedOrganization;
  beforeAll(async () => {
    stack = await startHubSpotStack({ emulator: { developerApiKey: DEVELOPER_KEY }, env: { HUBSPOT_DEVELOPER_API_KEY: DEVELOPER_KEY } });
    org = await connectOrganization(stack, DEMO_PORTAL_ID, 'CLI Help Desk');
    await stack.backend.services.helpdesk.registerChannel({});
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** Runs the real bin with --json and this organization's key; returns its exit code and parsed output. */
  const cli = async (...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> => {
    const result = await run(process.execPath, ['cli/bin.mjs', '--url', stack.backendUrl, '--api-key', org.apiKey, '--json', ...args], { cwd: repoRoot }).then(
      (r) => ({ code: 0, text: r.stdout }),
      (err: { code: number; stderr: string }) => ({ code: err.code, text: err.stderr }),
    );
    return { code: result.code, json: JSON.parse(result.text) as Record<string, unknown> };
  };

  test('when the vendor connects the channel and posts a turn from the CLI, then the thread in HubSpot holds it and the list shows it sent', async () => {
    expect((await cli('helpdesk', 'status')).json).toMatchObject({ state: 'ready_to_connect', missingScopes: [] });
    const { inboxes } = (await cli('helpdesk', 'inboxes')).json as { inboxes: { id: string; name: string }[] };
    const helpDesk = inboxes.find((i) => i.name === 'Help Desk')!;
    expect((await cli('helpdesk', 'connect', '--inbox', helpDesk.id)).json).toMatchObject({ account: { inboxId: helpDesk.id } });
    expect((await cli('helpdesk', 'status')).json).toMatchObject({ state: 'connected', account: { inboxId: helpDesk.id } });

    const conversation = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'cli-chat-1' });
    const id = conversation.conversation.id;
    const posted = await cli('messages', 'post', id, '--text', 'Where is my parcel?', '--email', 'robin@example.com', '--customer-name', 'Robin Park');
    expect(posted).toMatchObject({ code: 0, json: { message: { author: 'customer', text: 'Where is my parcel?' } } });
    const list = (await eventually(
      async () => {
        const l = (await cli('messages', 'list', id)).json as { threadId: string | null; messages: { status: string }[] };
        return l.messages.length === 1 && l.messages[0]!.status === 'sent' && l.threadId ? l : undefined;
      },
      { timeoutMs: 30_000 },
    ))!;
    const thread = (await stack.hub.inboxThreads(org.portalId)).find((t) => t.id === Number(list.threadId))!;
    expect(thread.inboxId).toBe(helpDesk.id);
    expect(thread.messages.map((m) => [m.direction, m.text])).toStrictEqual([['INCOMING', 'Where is my parcel?']]);
  });

  test('when an option has a value the API does not take, then the CLI exits 1, names the option, and nothing is posted', async () => {
    const conversation = await stack.backend.services.conversations.upsertByExternalId(org.id, { externalId: 'cli-chat-2' });
    const refused = await cli('messages', 'post', conversation.conversation.id, '--text', 'hi', '--author', 'bot');
    expect(refused.code).toBe(1);
    expect((refused.json as { error: { message: string } }).error.message).toContain('--author must be one of customer, ai');
    expect((await cli('messages', 'list', conversation.conversation.id)).json).toMatchObject({ messages: [] });
  });
});
