// The README's offline `hs project validate` command, run verbatim as a vendor would on a fresh clone: HubSpot's
// real CLI, a HOME with no HubSpot CLI config, no login. Then the same script on a broken copy, to show that the
// CLI really validates (against the committed schemas) rather than passing everything.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { copyProject, REPO_ROOT, type ProjectCopy } from './helpers/project-copy.js';

// HubSpot's CLI takes several seconds on its own; a loaded machine may need much longer.
const CLI_TIMEOUT_MS = 240_000;
const MARKER = '<!-- test/contract/hs-validate-readme.test.ts runs the command below verbatim -->';

/** The fenced shell block right after the marker in README.md. */
function readmeCommand(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`${escapeRegExp(MARKER)}\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no \`\`\`sh block after ${MARKER}`);
  return match[1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A HOME with nothing in it: no ~/.hscli, no hubspot.config.yml, as on a machine that never ran `hs account auth`. */
function freshHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-fresh-home-'));
  cleanups.push(async () => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

function run(command: string, cwd: string, home: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  // No HubSpot credentials from the caller's environment may help the command pass.
  for (const name of Object.keys(env)) if (name.startsWith('HUBSPOT_')) delete env[name];
  return spawnSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
}

describe("README's offline hs project validate", () => {
  test('when the README command runs in the repository with no HubSpot CLI config, then HubSpot\'s CLI validates every profile and exits 0', () => {
    const command = readmeCommand();

    const result = run(command, REPO_ROOT, freshHome());

    const output = `${result.stdout}${result.stderr}`;
    expect({ status: result.status, output }).toMatchObject({ status: 0 });
    // The CLI's spinner lines go to stderr, its verdict to stdout.
    expect(output).toContain('Project valid with profile "hsprofile.local.json" applied');
    expect(output).toContain('Project valid with profile "hsprofile.production.json" applied');
    expect(result.stdout).toContain('Project switchboard is valid and ready to upload');
    expect(output).not.toContain('Config file not found');
  }, CLI_TIMEOUT_MS + 10_000);

  test('when the same script checks a copy whose action lacks its actionUrl, then HubSpot\'s CLI names the field and exits 1', async () => {
    const project: ProjectCopy = await copyProject();
    cleanups.push(() => project.remove());
    await project.editJson<{ config: Record<string, unknown> }>('src/app/workflow-actions/pause-ai-hsmeta.json', (meta) => {
      delete meta.config.actionUrl;
    });

    const result = run(`node_modules/.bin/tsx scripts/check-project-hs.ts --project-dir ${JSON.stringify(project.dir)}`, REPO_ROOT, freshHome());

    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain("Missing required field: 'config.actionUrl'");
    expect(`${result.stdout}${result.stderr}`).not.toContain('Config file not found');
  }, CLI_TIMEOUT_MS + 10_000);
});
