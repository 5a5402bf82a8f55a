import path from 'node:path';
import { parseProjectConfig, type ProjectConfig } from '@hubspot/project-parsing-lib/projects';
import type { IssueCollector } from './issues.js';

/** hsproject.json after PPL accepted it, with srcDir resolved. */
export interface LoadedProjectConfig {
  config: ProjectConfig;
  /** Absolute path of the project's source folder (hsproject.json `srcDir`). */
  srcDir: string;
}

/**
 * Reads hsproject.json with PPL's own parser (`parseProjectConfig` runs `validateProjectConfig`: required fields,
 * srcDir inside the project and present).
 * @returns the config, or `undefined` after recording the problem as an issue on hsproject.json
 */
export function loadProjectConfig(projectDir: string, issues: IssueCollector): LoadedProjectConfig | undefined {
  try {
    const config = parseProjectConfig(projectDir);
    return { config, srcDir: path.resolve(projectDir, config.srcDir) };
  } catch (error) {
    issues.add('hsproject.json', error instanceof Error ? error.message : String(error));
    return undefined;
  }
}
