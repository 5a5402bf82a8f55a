// `npm run check:project` end to end: tsx + the Node module hook (schema-hooks.mjs), the route that CI runs.
// The Jest tests load the check through jest.unstable_mockModule instead, so only this file proves the hook.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { copyProject, REPO_ROOT, type ProjectCopy } from './helpers/project-copy.js';

const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const runCli = (...args: string[]) =>
  spawnSync(TSX, ['scripts/check-project.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });

describe('scripts/check-project.ts', () => {
  let project: ProjectCopy;
  beforeEach(async () => {
    project = await copyProject();
  });
  afterEach(async () => {
    await project.remove();
  });

  test('when a copy lacks an actionUrl, then it exits 1 and prints the file and the missing field', async () => {
    await project.editJson<{ config: Record<string, unknown> }>('src/app/workflow-actions/resume-ai-hsmeta.json', (meta) => {
      delete meta.config.actionUrl;
    });

    const run = runCli('--project-dir', project.dir);

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      [
        '✖ HubSpot project check failed: 1 problem in 1 file',
        '',
        'src/app/workflow-actions/resume-ai-hsmeta.json',
        "  - Missing required field: 'config.actionUrl'",
        '',
      ].join('\n'),
    );
  });

  test('when given an unknown argument, then it prints the usage and exits 1', () => {
    const run = runCli('--profile', 'local');

    expect(run.status).toBe(1);
    expect(run.stderr).toBe('usage: npm run check:project [-- --project-dir <dir>]\n');
  });
});
