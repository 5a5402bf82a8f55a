// Commands on the vendor API: organizations, install links, connecting, status, conversations.
import type { Command } from 'commander';
import { CliError, type Context } from './context.js';
import { connectThroughConsent } from './local-connect.js';
import { run } from './run.js';

/** The emulator's seeded demo portal. */
export const DEMO_PORTAL_ID = 62515;

/** Parses a positive integer option. */
export function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`Expected a positive whole number, got "${value}".`);
  return n;
}

/** `switchboard org create` body: creates an organization and saves its key as the CLI's profile. */
export async function createOrg(ctx: Context, input: { name: string; oauthOnly?: boolean }) {
  const org = await ctx.admin().createOrganization({ name: input.name, ...(input.oauthOnly ? { oauthOnly: true } : {}) });
  const file = ctx.saveProfile({ baseUrl: ctx.baseUrl, organizationId: org.id, name: org.name, apiKey: org.apiKey });
  return { org, file };
}

/** `switchboard connect` body: creates a link (unless given) and connects through the consent page. */
export async function connectLocal(ctx: Context, input: { portalId: number; link?: string }) {
  const link = input.link ?? (await ctx.api().createInstallLink()).url;
  const outcome = await connectThroughConsent(ctx.baseUrl, link, input.portalId);
  return { outcome, link, connection: await ctx.api().getConnection() };
}

/** Registers org, install-link, connect, status and conversations. */
export function registerApiCommands(program: Command): void {
  const org = program.command('org').description('Organizations (one per customer of yours)');
  org
    .command('create')
    .description('Create an organization with the admin key and remember its API key for the next commands')
    .option('--name <name>', 'display name shown on the connection page', 'Demo Support')
    .option('--oauth-only', 'close the legacy Private App path for this organization')
    .action((opts: { name: string; oauthOnly?: boolean }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { org: created, file } = await createOrg(ctx, opts);
        ctx.print([`Created organization "${created.name}" (${created.id}).`, `API key saved to ${file} (shown once by the API; keep it secret).`, 'Next: switchboard install-link'], created);
      }),
    );

  program
    .command('install-link')
    .description("Create a connection link for the customer's HubSpot admin")
    .option('--hours <n>', 'lifetime of the link in hours (1-720)', intOption)
    .action((opts: { hours?: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const link = await ctx.api().createInstallLink(opts.hours ? { expiresInHours: opts.hours } : {});
        ctx.print([`Send this link to the HubSpot admin (valid until ${link.expiresAt}):`, `  ${link.url}`, 'Local mode: `switchboard connect` approves it for you.'], link);
      }),
    );

  program
    .command('connect')
    .description('Local mode: approve an install link on the emulator’s consent page, as the HubSpot admin would')
    .option('--portal <id>', 'emulator portal to connect', intOption, DEMO_PORTAL_ID)
    .option('--link <url>', 'install link to use (default: a new one)')
    .action((opts: { portal: number; link?: string }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const result = await connectLocal(ctx, { portalId: opts.portal, link: opts.link });
        const line = result.outcome === 'connected' ? `Connected to HubSpot portal ${result.connection.portalId}.` : `Almost: open ${result.link} in a browser and confirm the portal change.`;
        ctx.print([line, 'Next: switchboard conversations create --external-id chat-1 --ticket 1002'], result);
      }),
    );

  program
    .command('status')
    .description('The organization and its HubSpot connection')
    .action((_opts: unknown, cmd: Command) =>
      run(cmd, async (ctx) => {
        const api = ctx.api();
        const [organization, connection] = await Promise.all([api.getOrganization(), api.getConnection()]);
        ctx.print(
          [
            `Organization  ${organization.name} (${organization.id})`,
            `Connection    ${connection.status}${connection.portalId ? ` to portal ${connection.portalId}` : ''}${connection.auth ? ` via ${connection.auth}` : ''}`,
            ...(connection.recommendedAction ? [`Next step     ${connection.recommendedAction === 'connect' ? 'switchboard install-link' : connection.recommendedAction}`] : []),
          ],
          { organization, connection },
        );
      }),
    );

  const conversations = program.command('conversations').description('Chat sessions linked to HubSpot records');
  conversations
    .command('create')
    .description('Create (or update) a conversation by your external id, linked to HubSpot records')
    .requiredOption('--external-id <id>', 'your id for the chat session')
    .option('--ticket <id>', 'HubSpot ticket id', intOption)
    .option('--contact <id>', 'HubSpot contact id', intOption)
    .option('--thread <id>', 'HubSpot conversations thread id', intOption)
    .action((opts: { externalId: string; ticket?: number; contact?: number; thread?: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const c = await ctx.api().upsertConversation({ externalId: opts.externalId, ticketId: opts.ticket, contactId: opts.contact, threadId: opts.thread });
        ctx.print([`Conversation ${c.id} (${c.externalId}): AI ${c.aiState}.`, opts.ticket ? `Next: switchboard trigger owner-change --ticket ${opts.ticket}` : ''].filter(Boolean), c);
      }),
    );
  conversations
    .command('list')
    .description('List conversations, optionally by linked record')
    .option('--ticket <id>', 'HubSpot ticket id', intOption)
    .option('--contact <id>', 'HubSpot contact id', intOption)
    .action((opts: { ticket?: number; contact?: number }, cmd: Command) =>
      run(cmd, async (ctx) => {
        const { conversations: list } = await ctx.api().listConversations({ ticketId: opts.ticket, contactId: opts.contact });
        ctx.print(list.length === 0 ? ['No conversations.'] : list.map((c) => `${c.id}  ${c.externalId}  AI ${c.aiState}${c.ticketId ? `  ticket ${c.ticketId}` : ''}`), list);
      }),
    );
}
