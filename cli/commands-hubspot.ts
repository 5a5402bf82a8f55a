// HubSpot-side happenings, caused in the local HubSpot emulator through its control API: record
// changes (which HubSpot then sends to the backend as webhooks) and workflow action executions.
import type { Command } from 'commander';
import type { EmulatorClient } from '../emulator/client.js';
import { CliError } from './context.js';
import { DEMO_PORTAL_ID, intOption } from './commands-api.js';
import { run } from './run.js';

/** The workflow actions, by the name in their actionUrl. */
export const ACTIONS = ['pause-ai', 'resume-ai', 'send-to-ai', 'request-handoff'] as const;

/** What an execution ended as (the emulator's record, trimmed). */
export interface ExecutionSummary {
  id: string;
  callbackId: string;
  state: string;
  outputFields: Record<string, unknown>;
  executionRule?: { labelName: string; message?: string };
  /** Why the emulator marked the execution FAILED (e.g. `timeout`, `http_500`). */
  failureReason?: string;
}

/** Runs a workflow action through the emulator's workflow engine and waits for HubSpot's answer. */
export async function runAction(
  hub: EmulatorClient,
  input: { portalId: number; action: string; objectType: 'TICKET' | 'CONTACT'; objectId: number; inputFields?: Record<string, string> },
): Promise<ExecutionSummary> {
  if (!(ACTIONS as readonly string[]).includes(input.action)) throw new CliError(`Unknown action "${input.action}".`, `Use one of: ${ACTIONS.join(', ')}.`);
  return hub.request<ExecutionSummary>('POST', '/_emulator/workflows/execute', {
    portalId: input.portalId,
    actionUid: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    inputFields: input.inputFields ?? {},
  });
}

/** The owner to assign: the given one, else the portal's first owner. */
export async function pickOwner(hub: EmulatorClient, portalId: number, ownerId?: number): Promise<number> {
  if (ownerId !== undefined) return ownerId;
  const owners = await hub.owners(portalId);
  if (owners.length === 0) throw new CliError(`Portal ${portalId} has no owners.`, 'Pass --owner <id>.');
  return Number(owners[0]!.id);
}

function parseInputs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`--input wants key=value, got "${pair}".`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Registers trigger, actions and emulator. */
export function registerHubSpotCommands(program: Command): void {
  const trigger = program.command('trigger').description('Cause a HubSpot-side change in the emulator (HubSpot then sends its webhook)');
  const portalOption = ['--portal <id>', 'emulator portal', intOption, DEMO_PORTAL_ID] as const;

  trigger
    .command('owner-change')
    .description('An agent takes a ticket: set its owner (pauses the AI of linked conversations)')
    .requiredOption('--ticket <id>', 'ticket id', intOption)
    .option('--owner <id>', "owner id (default: the portal's first owner)", intOption)
    .option('--unassign', 'remove the owner instead')
    .option(...portalOption)
    .action((opts: { ticket: number; owner?: number; unassign?: boolean; portal: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const hub = ctx.emulator();
        const ownerId = opts.unassign ? null : await pickOwner(hub, opts.portal, opts.owner);
        const ticket = await hub.setTicketOwner(opts.portal, opts.ticket, ownerId);
        ctx.print([`Ticket ${opts.ticket} ${ownerId === null ? 'unassigned' : `now owned by ${ownerId}`}; HubSpot sends the webhook.`, 'Next: switchboard events tail'], ticket);
      }),
    );

  trigger
    .command('thread-assign')
    .description('An agent takes a conversations thread (assign it to a user)')
    .requiredOption('--thread <id>', 'thread id', intOption)
    .requiredOption('--user <id>', 'user id to assign', intOption)
    .option(...portalOption)
    .action((opts: { thread: number; user: number; portal: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const thread = await ctx.emulator().assignThread(opts.portal, opts.thread, opts.user);
        ctx.print(`Thread ${opts.thread} assigned to user ${opts.user}.`, thread);
      }),
    );

  trigger
    .command('thread-close')
    .description('Close a conversations thread')
    .requiredOption('--thread <id>', 'thread id', intOption)
    .option(...portalOption)
    .action((opts: { thread: number; portal: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const thread = await ctx.emulator().closeThread(opts.portal, opts.thread);
        ctx.print(`Thread ${opts.thread} closed.`, thread);
      }),
    );

  trigger
    .command('privacy-delete')
    .description('GDPR-delete a contact (the backend erases it and emits contact.erased)')
    .requiredOption('--contact <id>', 'contact id', intOption)
    .option(...portalOption)
    .action((opts: { contact: number; portal: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const result = await ctx.emulator().privacyDeleteContact(opts.portal, opts.contact);
        ctx.print(`Contact ${opts.contact} privacy-deleted.`, result);
      }),
    );

  const actions = program.command('actions').description('Workflow actions, executed by the emulator’s workflow engine as HubSpot would');
  actions
    .command('run')
    .description(`Execute a workflow action on a record (${ACTIONS.join(', ')})`)
    .argument('<action>', ACTIONS.join(' | '))
    .option('--ticket <id>', 'enrolled ticket', intOption)
    .option('--contact <id>', 'enrolled contact', intOption)
    .option('--input <key=value...>', 'input field values (e.g. instructions="Summarize" for send-to-ai)', [])
    .option(...portalOption)
    .action((action: string, opts: { ticket?: number; contact?: number; input: string[]; portal: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        if ((opts.ticket === undefined) === (opts.contact === undefined)) throw new CliError('Give exactly one of --ticket or --contact.');
        const inputFields = parseInputs(opts.input);
        if (action === 'send-to-ai' && !inputFields.instructions) inputFields.instructions = 'Answer the customer';
        const execution = await runAction(ctx.emulator(), {
          portalId: opts.portal,
          action,
          objectType: opts.ticket !== undefined ? 'TICKET' : 'CONTACT',
          objectId: (opts.ticket ?? opts.contact)!,
          inputFields,
        });
        const errorCode = execution.outputFields.error_code;
        ctx.print(
          [
            `${action}: ${execution.state}${errorCode ? ` (${String(errorCode)})` : ''}${execution.executionRule?.message ? ` - ${execution.executionRule.message}` : ''}`,
            ...(execution.state === 'BLOCKED' ? ['The workflow waits for your result: POST /api/v1/conversations/{id}/ai-result (see the record.sent_to_ai event).'] : []),
          ],
          execution,
        );
      }),
    );

  const emulator = program.command('emulator').description('The local HubSpot emulator');
  emulator
    .command('reset')
    .description('Put the emulator back to its seed (demo portal 62515, tickets 1001-1003, no install)')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const result = await ctx.emulator().reset();
        ctx.print(['Emulator reset to its seed. The app is no longer installed there:', '  reconnect with `switchboard connect` (the backend still remembers the old connection).'], result);
      }),
    );
}
