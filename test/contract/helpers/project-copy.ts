import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from '@jest/globals';

/** The repository root, which holds the real hsproject.json and src/. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A throwaway copy of the HubSpot project (hsproject.json + src/) that a test may break. */
export interface ProjectCopy {
  dir: string;
  /** Parses a JSON file of the copy (path from the project dir). */
  readJson<T = Record<string, unknown>>(file: string): Promise<T>;
  /** Lets `edit` change a JSON file of the copy in place. */
  editJson<T = Record<string, unknown>>(file: string, edit: (content: T) => void): Promise<void>;
  /** Writes raw text, creating folders as needed. */
  writeText(file: string, text: string): Promise<void>;
  /** Moves a file inside the copy, creating folders as needed. */
  move(from: string, to: string): Promise<void>;
  remove(): Promise<void>;
}

/** How many `*-hsmeta.json` files a project's src/ holds (node_modules aside): the component count PPL reports. */
export function countHsMetaFiles(projectDir: string): number {
  const entries = readdirSync(path.join(projectDir, 'src'), { recursive: true, encoding: 'utf8' });
  return entries.filter((entry) => entry.endsWith('-hsmeta.json') && !entry.split(path.sep).includes('node_modules')).length;
}

/** Copies hsproject.json and src/ (without node_modules) into a new temporary folder. */
export async function copyProject(): Promise<ProjectCopy> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-project-'));
  await fs.copyFile(path.join(REPO_ROOT, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  await fs.cp(path.join(REPO_ROOT, 'src'), path.join(dir, 'src'), {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes('node_modules'),
  });
  const at = (file: string): string => path.join(dir, file);
  const copy: ProjectCopy = {
    dir,
    async readJson<T>(file: string) {
      return JSON.parse(await fs.readFile(at(file), 'utf8')) as T;
    },
    async editJson<T>(file: string, edit: (content: T) => void) {
      const content = await copy.readJson<T>(file);
      edit(content);
      await copy.writeText(file, `${JSON.stringify(content, null, 2)}\n`);
    },
    async writeText(file, text) {
      await fs.mkdir(path.dirname(at(file)), { recursive: true });
      await fs.writeFile(at(file), text);
    },
    async move(from, to) {
      await fs.mkdir(path.dirname(at(to)), { recursive: true });
      await fs.rename(at(from), at(to));
    },
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
  return copy;
}

/**
 * Gives every test of the calling file a fresh copy of the project, removed after the test. Call it at the top
 * level of a test file; the returned function gives the current test's copy.
 */
export function useProjectCopy(): () => ProjectCopy {
  let current: ProjectCopy | undefined;
  beforeEach(async () => {
    current = await copyProject();
  });
  afterEach(async () => {
    await current?.remove();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('useProjectCopy: the copy exists only while a test runs');
    return current;
  };
}
