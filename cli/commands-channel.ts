// `switchboard channel register`: the operator command that registers (or updates) the vendor app's
// help-desk custom channel at HubSpot. It runs the backend's script with this environment (database,
// HUBSPOT_APP_ID, HUBSPOT_DEVELOPER_API_KEY), as a deploy step would (`npm run channel:register`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Registers `channel register`. */
export function registerChannelCommands(program: Command): void {
  const channel = program.command('channel').description("The help desk's custom channel at HubSpot");
  channel
    .command('register')
    .description('Register the help-desk channel (name and logo from branding, webhook and connect URLs on this backend); safe to run again')
    .action(async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/scripts/register-channel.ts'], { cwd: repoRoot, stdio: 'inherit', env: process.env });
      process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    });
}
