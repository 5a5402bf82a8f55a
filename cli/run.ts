import type { Command } from 'commander';
import { createContext, explain, type Context, type GlobalOptions } from './context.js';

/**
 * Runs a command body with the context of its global options; a failure prints the message and what
 * to do, and sets exit code 1.
 */
export async function run(cmd: Command, body: (ctx: Context) => Promise<void>): Promise<void> {
  const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
  try {
    await body(ctx);
  } catch (err) {
    const problem = explain(err, ctx);
    if (ctx.json) console.error(JSON.stringify({ error: { message: problem.message, hint: problem.hint ?? null } }));
    else console.error(`Error: ${problem.message}${problem.hint ? `\n  ${problem.hint}` : ''}`);
    process.exitCode = 1;
  }
}
