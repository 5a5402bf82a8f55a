// The help-desk story from the command line: the connection's help-desk state, the portal's inboxes,
// connecting the channel to one, and publishing a conversation's turns into its HubSpot thread (what a
// vendor's platform does through the API: POST /api/v1/conversations/:id/messages).
import type { Command } from 'commander';
import { CliError } from './context.js';
import { run } from './run.js';

const AUTHORS = ['customer', 'ai'] as const;
const DELIVERY = ['sent', 'failed', 'read'] as const;

/** Checks an option against its allowed values (commander's `choices` would not name the command). */
function oneOf<T extends string>(name: string, allowed: readonly T[], value: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--${name} must be one of ${allowed.join(', ')}, got "${value}".`);
}

/** Registers `helpdesk status|inboxes|connect` and `messages post|list|delivery`. */
export function registerHelpdeskCommands(program: Command): void {
  const helpdesk = program.command('helpdesk').description("The connection's HubSpot help desk (custom channel): state, inboxes, connecting");
  helpdesk
    .command('status')
    .description('Show whether the channel is connected to an inbox, or what is missing (scopes, registration)')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const s = await ctx.api().getHelpdesk();
        const next: Record<typeof s.state, string> = {
          not_connected: 'Connect HubSpot first: switchboard install-link',
          needs_scopes: `Reconnect HubSpot granting: ${s.missingScopes.join(', ')}`,
          channel_not_registered: 'The operator registers the channel once: switchboard channel register',
          ready_to_connect: 'Next: switchboard helpdesk inboxes, then switchboard helpdesk connect --inbox <id>',
          connected: `Connected to inbox "${s.account?.name ?? ''}" (${s.account?.inboxId ?? ''}).`,
        };
        const failed = s.failedMessages > 0 ? [`${s.failedMessages} message(s) could not be published: switchboard messages list <conversation>`] : [];
        ctx.print([`Help desk: ${s.state}.`, next[s.state], ...failed], s);
      }),
    );
  helpdesk
    .command('inboxes')
    .description("List the portal's inboxes and help desks the channel can connect to")
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { inboxes } = await ctx.api().listHelpdeskInboxes();
        ctx.print(inboxes.length === 0 ? ['No inboxes.'] : inboxes.map((i) => `${i.id}  ${i.name}`), { inboxes });
      }),
    );
  helpdesk
    .command('connect')
    .description('Connect the channel to an inbox (moves it when already connected elsewhere)')
    .requiredOption('--inbox <id>', 'inbox id from `switchboard helpdesk inboxes`')
    .option('--name <name>', 'name of the channel account HubSpot shows')
    .action((opts: { inbox: string; name?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { account } = await ctx.api().connectHelpdeskInbox({ inboxId: opts.inbox, ...(opts.name ? { name: opts.name } : {}) });
        ctx.print([`Connected to inbox "${account.name}" (${account.inboxId}).`, 'Next: switchboard messages post <conversation> --author customer --text "Hello"'], { account });
      }),
    );

  const messages = program.command('messages').description("A conversation's turns in its HubSpot help-desk thread");
  messages
    .command('post')
    .description("Publish a customer's or the AI's turn (the first one creates the thread)")
    .argument('<conversation>', 'conversation id')
    .requiredOption('--text <text>', 'the message')
    .option('--author <who>', 'customer or ai', 'customer')
    .option('--email <email>', "the customer's email (finds or creates the contact)")
    .option('--customer-name <name>', "the customer's name")
    .option('--idempotency-key <key>', 'the same key posts once')
    .action((conversation: string, opts: { text: string; author: string; email?: string; customerName?: string; idempotencyKey?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const author = oneOf('author', AUTHORS, opts.author);
        const customer = opts.email || opts.customerName ? { ...(opts.email ? { email: opts.email } : {}), ...(opts.customerName ? { name: opts.customerName } : {}) } : undefined;
        const { message } = await ctx.api().publishMessage(conversation, { author, text: opts.text, ...(customer ? { customer } : {}), ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}) });
        ctx.print([`Message ${message.id} queued for HubSpot (${message.status}).`, `Next: switchboard messages list ${conversation}`], { message });
      }),
    );
  messages
    .command('list')
    .description("List a conversation's published turns with their HubSpot status")
    .argument('<conversation>', 'conversation id')
    .action((conversation: string, _opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const list = await ctx.api().listMessages(conversation);
        const lines = list.messages.map((m) => `${m.id}  ${m.author.padEnd(8)} ${m.status.padEnd(7)} ${m.text}${m.lastError ? `  (${m.lastError})` : ''}`);
        ctx.print([`Thread: ${list.threadId ?? 'not created yet'}`, ...(lines.length === 0 ? ['No messages.'] : lines)], list);
      }),
    );
  messages
    .command('delivery')
    .description("Report that an agent's reply reached the customer (HubSpot shows its status)")
    .argument('<conversation>', 'conversation id')
    .argument('<message>', "HubSpot's message id from the message.agent_reply event")
    .option('--status <status>', 'sent, failed or read', 'sent')
    .action((conversation: string, message: string, opts: { status: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const result = await ctx.api().reportDelivery(conversation, message, { status: oneOf('status', DELIVERY, opts.status) });
        ctx.print([`Delivery of ${result.messageId} reported: ${result.status}.`], result);
      }),
    );
}
