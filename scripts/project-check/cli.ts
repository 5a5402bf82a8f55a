import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackendProbe } from './backend-probe.js';
import { checkProject } from './check.js';
import { formatCheckResult } from './format.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USAGE = 'usage: npm run check:project [-- --project-dir <dir>]';

/**
 * Runs the project check with the backend route cross-check and prints the result.
 * @param argv arguments after the script name; `--project-dir <dir>` checks another copy of the project
 * @returns the process exit code: 0 when valid, 1 otherwise
 */
export async function runProjectCheckCli(argv: readonly string[]): Promise<number> {
  const projectDir = parseProjectDir(argv);
  if (projectDir === undefined) {
    console.error(USAGE);
    return 1;
  }
  try {
    const result = await checkProject({ projectDir, startBackend: startBackendProbe });
    const text = formatCheckResult(result);
    if (result.ok) console.log(text);
    else console.error(text);
    return result.ok ? 0 : 1;
  } catch (error) {
    console.error(`✖ HubSpot project check could not run: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function parseProjectDir(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return REPO_ROOT;
  if (argv.length === 2 && argv[0] === '--project-dir' && argv[1]) return path.resolve(argv[1]);
  return undefined;
}
