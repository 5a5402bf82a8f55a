import path from 'node:path';
import type { IntermediateRepresentation } from '@hubspot/project-parsing-lib/translate';
import { isTranslationError, translate } from '@hubspot/project-parsing-lib/translate';
import { misplacedFileMessage } from './hsmeta-files.js';
import type { IssueCollector } from './issues.js';
import type { LoadedProfile } from './profiles.js';

/** Where translate runs: the project and its parsed hsproject.json. */
export interface TranslateTarget {
  projectDir: string;
  srcDir: string;
  platformVersion: string;
}

/**
 * Runs HubSpot's own parser and validator (`translate` with `skipValidation: false`) for one profile and records
 * every problem it reports. The schemas it validates against are the committed ones (see committed-schemas.mjs).
 * @returns the intermediate representation (also when it skipped misplaced files), or `undefined` when translate threw
 */
export async function translateProfile(
  target: TranslateTarget,
  profile: LoadedProfile,
  issues: IssueCollector,
): Promise<IntermediateRepresentation | undefined> {
  const { projectDir, srcDir, platformVersion } = target;
  const rel = (file: string): string => path.relative(projectDir, path.resolve(srcDir, file));
  try {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: srcDir, platformVersion, accountId: profile.accountId },
      { skipValidation: false, profile: profile.name },
    );
    for (const file of skippedHsMetaFiles) {
      issues.add(rel(file), misplacedFileMessage(path.relative(projectDir, srcDir) || '.'), profile.name);
    }
    return intermediateRepresentation;
  } catch (error) {
    const perFile = (translationErrorsByFile(error) ?? []).flatMap(({ file, errors }) =>
      errors.filter((message) => !IF_THEN_WRAPPER.test(message)).map((message) => ({ file: rel(file), message })),
    );
    for (const { file, message } of perFile) issues.add(file, normalizeMessage(message), profile.name);
    if (perFile.length === 0) {
      // Errors PPL throws before validation (duplicate uid, missing profile variable, unknown platform version)
      // name their files themselves, relative to srcDir. A translate failure never goes unreported.
      const message = error instanceof Error ? error.message : String(error);
      issues.add(path.relative(projectDir, srcDir) || '.', normalizeMessage(message), profile.name);
    }
    return undefined;
  }
}

// Ajv reports a failed if/then twice: the error inside `then` (which names the field) and a generic
// `config: must match "then" schema` at the `if`. Keep the first, as PPL itself drops generic oneOf errors.
const IF_THEN_WRAPPER = /^config(\.\S+)?: must match "(then|else)" schema/;

/** PPL's `{ file, errors[] }` list; it is typed private on TranslationError, so its shape is checked here. */
function translationErrorsByFile(error: unknown): { file: string; errors: string[] }[] | undefined {
  if (!isTranslationError(error)) return undefined;
  const entries: unknown = (error as unknown as { errors?: unknown }).errors;
  if (!Array.isArray(entries)) return undefined;
  return entries.filter(
    (entry): entry is { file: string; errors: string[] } =>
      typeof entry === 'object' && entry !== null && typeof entry.file === 'string' && Array.isArray(entry.errors),
  );
}

/** PPL indents details with tabs and leaves trailing blanks; keep its words, drop the layout. */
function normalizeMessage(message: string): string {
  return message
    .split('\n')
    .map((line) => line.replace(/^\t+-\s+/, '  ').trimEnd())
    .join('\n');
}
