// No production file is over 300 lines (tests and test helpers excepted): a file that grows past it
// holds more than one use case and is split by use case, the way backend/src/modules/workflow-actions/
// keeps one top-level file per use case.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from './helpers/project-copy.js';

const MAX_LINES = 300;
const PRODUCTION_ROOTS = ['backend/src/', 'emulator/', 'src/app/', 'client/', 'cli/', 'scripts/', 'bench/'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_CODE = /(\.test\.tsx?$|\.child\.ts$|\/__test__\/|\/test-utils\/|\/test\/)/;

/** Tracked or new (not ignored) production source files. */
function productionFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((file) => PRODUCTION_ROOTS.some((root) => file.startsWith(root)) && SOURCE.test(file) && !TEST_CODE.test(file))
    .filter((file) => !file.split('/').includes('node_modules') && fs.existsSync(path.join(REPO_ROOT, file)));
}

describe('production file size', () => {
  it(`when every production source file is counted, then none is over ${MAX_LINES} lines`, () => {
    const files = productionFiles();
    const tooLong = files
      .map((file) => ({ file, lines: fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);

    expect(files).toEqual(expect.arrayContaining(['backend/src/config.ts', 'emulator/src/manifests.ts', 'src/app/cards/utils/contract.ts']));
    expect(tooLong).toStrictEqual([]);
  });
});
