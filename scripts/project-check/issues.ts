import type { ProjectIssue } from './types.js';

/** Collects issues, merging the same file + message found under several profiles into one entry. */
export interface IssueCollector {
  /** Records a problem; `profile` is omitted for problems that do not depend on a profile. */
  add(file: string, message: string, profile?: string): void;
  /** Issues so far, sorted by file, in the order they were found within a file. */
  list(): ProjectIssue[];
  /** How many distinct issues were recorded. */
  readonly size: number;
}

/** Creates an empty IssueCollector. */
export function createIssueCollector(): IssueCollector {
  const byKey = new Map<string, ProjectIssue>();
  return {
    add(file, message, profile) {
      const key = `${file}\u0000${message}`;
      const issue = byKey.get(key) ?? { file, message, profiles: [] };
      if (profile !== undefined && !issue.profiles.includes(profile)) issue.profiles.push(profile);
      byKey.set(key, issue);
    },
    list() {
      // Array.prototype.sort is stable, so issues keep their discovery order within a file.
      return [...byKey.values()]
        .map((issue) => ({ ...issue, profiles: [...issue.profiles].sort() }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    },
    get size() {
      return byKey.size;
    },
  };
}
