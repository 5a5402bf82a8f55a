import fs from 'node:fs';
import path from 'node:path';
import { METAFILE_EXTENSION } from '@hubspot/project-parsing-lib/constants';
import { getProjectMetadata } from '@hubspot/project-parsing-lib/projects';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import type { IssueCollector } from './issues.js';

/**
 * Message for a `*-hsmeta.json` file that PPL skips because it is not directly in a component folder.
 * @param srcRel the project's srcDir as written in hsproject.json, e.g. `src`
 */
export function misplacedFileMessage(srcRel: string): string {
  return (
    `Not in a component folder, so HubSpot ignores this file: each *${METAFILE_EXTENSION} file must sit directly in ` +
    `${srcRel}/app/ or in one of its feature folders (${srcRel}/app/workflow-actions/, webhooks/, cards/, settings/, …), not nested deeper`
  );
}

/**
 * Checks that do not depend on a profile and that PPL's translate can miss: files outside a component folder
 * (translate only lists them when everything else passes) and uids of files that fail PPL's parse stage (PPL then
 * skips their uid check).
 */
export async function checkHsMetaFiles(projectDir: string, srcDir: string, issues: IssueCollector): Promise<void> {
  const srcRel = path.relative(projectDir, srcDir) || '.';
  const all = listHsMetaFiles(srcDir);
  const placed = new Set((await getProjectMetadata(srcDir)).hsMetaFiles.map((file) => path.resolve(file)));
  for (const file of all) {
    const rel = path.relative(projectDir, file);
    if (!placed.has(file)) issues.add(rel, misplacedFileMessage(srcRel));
    const uidProblem = checkRawUid(file);
    if (uidProblem) issues.add(rel, uidProblem);
  }
}

/** Every `*-hsmeta.json` below dir, skipping node_modules like PPL does. */
function listHsMetaFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...listHsMetaFiles(full));
    else if (entry.isFile() && entry.name.endsWith(METAFILE_EXTENSION)) found.push(full);
  }
  return found.sort();
}

/** PPL's uid rule on the uid as written; invalid JSON is left to PPL, and a uid built from `${var}` to translate. */
function checkRawUid(file: string): string | undefined {
  let content: unknown;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return undefined;
  const { uid } = content as { uid?: unknown };
  if (typeof uid !== 'string') return "Missing required field: 'uid'";
  return uid.includes('${') ? undefined : validateUid(uid);
}
