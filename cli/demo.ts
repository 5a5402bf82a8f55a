// `switchboard demo`: the whole story against the running local stack, printing each step: a fresh
// emulator portal with a ticket, an organization, connecting through the consent page, an agent taking
// the ticket (the AI pauses), then each workflow action, then disconnecting. Uses its own portal and
// organization, so it can run any number of times and leaves the seeded demo portal alone.
import type { Command } from 'commander';
import { createSwitchboardClient, type SwitchboardClient, type VendorEvent, type VendorEventType } from '../client/index.js';
import { CliError, type Context } from './context.js';
import { drainFeed } from './commands-events.js';
import { runAction, type ExecutionSummary } from './commands-hubspot.js';
import { connectThroughConsent } from './local-connect.js';
import { run } from './run.js';

/** What the demo did, for --json and tests. */
export interface DemoReport {
  organizationId: string;
  portalId: number;
  ticketId: number;
  conversationId: string;
  executions: Record<string, string>;
  events: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the demo; `say` gets one line per step. @throws CliError naming the step that failed */
export async function runDemo(ctx: Context, say: (line: string) => void, opts: { waitMs?: number } = {}): Promise<DemoReport> {
  const waitMs = opts.waitMs ?? 60_000;
  const hub = ctx.emulator();
  const stamp = new Date().toISOString().slice(11, 19);
  const seen: VendorEvent[] = [];
  let cursor: string | undefined;

  /** Polls the feed until an event matches; the deadline only guards against a stack that never answers. */
  async function waitForEvent<T extends VendorEventType>(type: T, match: (e: Extract<VendorEvent, { type: T }>) => boolean = () => true): Promise<Extract<VendorEvent, { type: T }>> {
    const deadline = Date.now() + waitMs;
    const matches = (e: VendorEvent): e is Extract<VendorEvent, { type: T }> => e.type === type && match(e as Extract<VendorEvent, { type: T }>);
    for (;;) {
      cursor = await drainFeed(api, cursor, (e) => seen.push(e));
      // Any event read so far in this run counts (it may have arrived while waiting for another).
      const found = seen.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new CliError(`No ${type} event arrived.`, 'Check the terminal running `npm start` for errors, and `switchboard events tail`.');
      await sleep(200);
    }
  }
  const expectState = (action: string, execution: ExecutionSummary, want: string) => {
    if (execution.state !== want) {
      const why = execution.failureReason ? ` (${execution.failureReason})` : '';
      throw new CliError(`${action} ended ${execution.state}${why}, expected ${want}: ${JSON.stringify(execution.outputFields)}`, 'See the backend log; `switchboard status` shows the connection.');
    }
  };

  const ready = await fetch(`${ctx.baseUrl}/readyz`).catch((err: unknown) => {
    throw new CliError(`Cannot reach the backend at ${ctx.baseUrl} (${(err as Error).message}).`, 'Start the local stack with `npm start`, then run the demo again.');
  });
  if (!ready.ok) throw new CliError(`The backend at ${ctx.baseUrl} is not ready (HTTP ${ready.status}).`, 'Wait for `npm start` to print its banner.');
  await hub.health();
  say(`1. Local stack is up: backend ${ctx.baseUrl}, HubSpot emulator ${ctx.emulatorUrl}`);

  const { portal, owner } = await hub.createPortal({ name: `Demo ${stamp}` });
  const contact = await hub.createContact(portal.id, { properties: { email: `dana.${Date.now()}@example.com`, firstname: 'Dana', lastname: 'Demo' } });
  const ticket = await hub.createTicket(portal.id, { properties: { subject: 'Where is my order?', hs_pipeline_stage: '1' }, associatedIds: [Number(contact.id)] });
  const ticketId = Number(ticket.id);
  say(`2. HubSpot (emulator): portal ${portal.id} with contact ${contact.id} and ticket ${ticketId}`);

  const org = await ctx.admin().createOrganization({ name: `Demo Support ${stamp}` });
  const api: SwitchboardClient = createSwitchboardClient({ baseUrl: ctx.baseUrl, apiKey: org.apiKey });
  say(`3. Organization "${org.name}" created (${org.id})`);

  const link = await api.createInstallLink();
  const outcome = await connectThroughConsent(ctx.baseUrl, link.url, portal.id);
  if (outcome !== 'connected') throw new CliError(`Connecting ended ${outcome}.`);
  const connection = await api.getConnection();
  await waitForEvent('connection.connected');
  say(`4. Connected: install link → consent page → portal ${connection.portalId} via ${connection.auth} (event connection.connected)`);

  await api.putHandoffTeams({ teams: [{ id: 'tier-2', name: 'Tier 2 support' }] });
  const conversation = await api.upsertConversation({ externalId: `demo-chat-${Date.now()}`, ticketId, contactId: Number(contact.id) });
  say(`5. Conversation ${conversation.id} linked to ticket ${ticketId}: AI ${conversation.aiState}`);

  await hub.setTicketOwner(portal.id, ticketId, Number(owner.id));
  const paused = await waitForEvent('ai.paused', (e) => e.data.conversationId === conversation.id);
  say(`6. Agent takeover: ticket owner set in HubSpot → webhook → AI paused (event ai.paused, source ${paused.data.source})`);

  const executions: Record<string, string> = {};
  const resume = await runAction(hub, { portalId: portal.id, action: 'resume-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { note: 'Agent is done' } });
  expectState('resume-ai', resume, 'SUCCESS');
  await waitForEvent('ai.resumed', (e) => e.data.conversationId === conversation.id);
  executions['resume-ai'] = resume.state;
  say(`7. Workflow action Resume AI: ${resume.state} (event ai.resumed)`);

  const send = await runAction(hub, { portalId: portal.id, action: 'send-to-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { instructions: 'Draft a reply about the delivery date', priority: 'high' } });
  expectState('send-to-ai', send, 'BLOCKED');
  const sent = await waitForEvent('record.sent_to_ai', (e) => e.data.callbackId === send.callbackId);
  const report = await api.reportAiResult(sent.data.conversationId, { success: true, outputs: { ai_result: 'Reply drafted: arrives Tuesday' } });
  const deadline = Date.now() + waitMs;
  let finished = send;
  while (finished.state === 'BLOCKED') {
    if (Date.now() > deadline) throw new CliError('HubSpot never got the Send to AI result.', 'Check the backend log for callback errors.');
    await sleep(200);
    finished = await hub.request<ExecutionSummary>('GET', `/_emulator/executions/${encodeURIComponent(send.id)}`);
  }
  expectState('send-to-ai', finished, 'SUCCESS');
  executions['send-to-ai'] = finished.state;
  say(`8. Workflow action Send to AI: BLOCKED → event record.sent_to_ai → POST ai-result (${report.callbacks.length} callback) → ${finished.state}`);

  const pause = await runAction(hub, { portalId: portal.id, action: 'pause-ai', objectType: 'TICKET', objectId: ticketId, inputFields: { reason: 'VIP customer' } });
  expectState('pause-ai', pause, 'SUCCESS');
  await waitForEvent('ai.paused', (e) => e.data.source === 'workflow' && e.data.conversationId === conversation.id);
  executions['pause-ai'] = pause.state;
  say(`9. Workflow action Pause AI: ${pause.state} (event ai.paused, source workflow)`);

  const handoff = await runAction(hub, { portalId: portal.id, action: 'request-handoff', objectType: 'TICKET', objectId: ticketId, inputFields: { team: 'tier-2', note: 'Needs a refund decision' } });
  expectState('request-handoff', handoff, 'SUCCESS');
  await waitForEvent('ai.handoff_requested', (e) => e.data.conversationId === conversation.id);
  executions['request-handoff'] = handoff.state;
  say(`10. Workflow action Request handoff: ${handoff.state} (event ai.handoff_requested, team Tier 2 support)`);

  await api.disconnect({ uninstall: true });
  await waitForEvent('connection.disconnected');
  say('11. Disconnected and uninstalled (event connection.disconnected)');

  return { organizationId: org.id, portalId: portal.id, ticketId, conversationId: conversation.id, executions, events: seen.map((e) => e.type) };
}

/** Registers demo. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the whole story against the local stack (`npm start` first): connect, takeover, pause, every workflow action, disconnect')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const report = await runDemo(ctx, (line) => ctx.step(line));
        ctx.print(['', 'Demo passed. Events the organization received:', ...report.events.map((t) => `  ${t}`), '', 'Try it yourself: switchboard --help'], report);
      }),
    );
}
