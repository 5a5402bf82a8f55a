import type { ProjectCheckResult, ProjectIssue } from './types.js';

/**
 * Renders a check result for the terminal: one `✔ project valid (profile <name>): N components` line per profile
 * on success; otherwise every problem grouped by file, tagged with its profiles when not all profiles share it.
 */
export function formatCheckResult(result: ProjectCheckResult): string {
  if (result.ok) {
    return result.translated.map(({ profile, componentCount }) => `✔ project valid (profile ${profile}): ${componentCount} components`).join('\n');
  }
  const files = [...new Set(result.issues.map((issue) => issue.file))];
  const lines = [`✖ HubSpot project check failed: ${count(result.issues.length, 'problem')} in ${count(files.length, 'file')}`];
  for (const file of files) {
    lines.push('', file);
    for (const issue of result.issues.filter((candidate) => candidate.file === file)) {
      lines.push(formatIssue(issue, result.profiles));
    }
  }
  return lines.join('\n');
}

function formatIssue(issue: ProjectIssue, allProfiles: readonly string[]): string {
  const partial = issue.profiles.length > 0 && issue.profiles.length < allProfiles.length;
  const tag = partial ? ` [profile ${issue.profiles.join(', ')}]` : '';
  const [first = '', ...rest] = issue.message.split('\n');
  return [`  - ${first}${tag}`, ...rest.map((line) => `    ${line}`)].join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
