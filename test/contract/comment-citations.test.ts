// Comments cite sources anyone can open: HubSpot doc URLs or docs/HUBSPOT-ASSUMPTIONS.md entries.
// Neither an issue number nor a section of a document kept outside this repository can be followed by
// a reader of the code, so no source or test file may cite one. docs/ is prose and is not scanned.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from './helpers/project-copy.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|sh)$/;

// Built from parts so that this file does not match itself.
const SECTION = '\u00a7';
const CITATIONS: { name: string; pattern: RegExp }[] = [
  { name: 'a section of the out-of-repo reference', pattern: new RegExp(`reference ${SECTION}`) },
  { name: 'a section of the out-of-repo house style', pattern: new RegExp(`house style ${SECTION}`) },
  { name: 'the out-of-repo reference file', pattern: new RegExp(['hubspot', 'platform\\.md'].join('-')) },
  { name: 'an issue number', pattern: new RegExp(`\\b[Ii]ssue #?[0-9]`) },
];

/** Every tracked or new (not ignored) source file, outside docs/ and node_modules. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((file) => SOURCE.test(file) && !file.startsWith('docs/') && !file.split('/').includes('node_modules'))
    .filter((file) => fs.existsSync(path.join(REPO_ROOT, file)));
}

describe('citations in source comments', () => {
  it('when every source and test file is read, then none cites an issue number or an out-of-repo document section', () => {
    const files = sourceFiles();
    const offenders = files.flatMap((file) =>
      fs
        .readFileSync(path.join(REPO_ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => CITATIONS.filter((c) => c.pattern.test(line)).map((c) => `${file}:${i + 1}: cites ${c.name}: ${line.trim()}`)),
    );

    // A scan that reads nothing would pass: make sure it saw the code.
    expect(files).toEqual(expect.arrayContaining(['backend/src/app.ts', 'emulator/src/signing.ts', 'src/app/cards/utils/contract.ts']));
    expect(offenders).toStrictEqual([]);
  });
});
