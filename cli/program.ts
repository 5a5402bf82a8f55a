// The `switchboard` command tree: the vendor API, the local HubSpot emulator and the demo, in one tool.
import { Command } from 'commander';
import { registerApiCommands } from './commands-api.js';
import { registerChannelCommands } from './commands-channel.js';
import { registerEventCommands } from './commands-events.js';
import { registerHelpdeskCommands } from './commands-helpdesk.js';
import { registerHubSpotCommands } from './commands-hubspot.js';
import { registerDemoCommand } from './demo.js';

/** Builds the program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('switchboard')
    .description('Switchboard from the command line: organizations, HubSpot connections, conversations, events, and the local HubSpot emulator.')
    .option('--url <url>', 'backend URL (env SWITCHBOARD_URL; default http://localhost:3000)')
    .option('--emulator-url <url>', 'HubSpot emulator URL (env SWITCHBOARD_EMULATOR_URL; default http://127.0.0.1:4010)')
    .option('--api-key <key>', 'organization API key (env SWITCHBOARD_API_KEY; default the one `org create` saved)')
    .option('--admin-key <key>', 'admin key (env SWITCHBOARD_ADMIN_KEY; default the local stack’s, from DATA_DIR)')
    .option('--data-dir <dir>', 'local data directory (env DATA_DIR; default .data)')
    .option('--json', 'print JSON for scripts instead of text')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nFirst time? Start the stack with `npm start`, then: switchboard demo\nEvery command has --help, e.g. switchboard trigger owner-change --help');
  registerApiCommands(program);
  registerHubSpotCommands(program);
  registerEventCommands(program);
  registerChannelCommands(program);
  registerHelpdeskCommands(program);
  registerDemoCommand(program);
  return program;
}

