// Execution rules (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference): HubSpot matches `executionRules` in order against the answer's
// `outputFields` and shows the first match's message from `labels.<lang>.executionRules`, with
// `{{ name }}` filled from the outputs. The emulator records the English message.
import type { WorkflowActionDefinition } from '../manifests.js';

/**
 * Finds the first execution rule whose conditions all hold for the outputs.
 * @param action the action definition
 * @param outputs the final output fields
 * @param lang which labels to read; `en` by default
 * @returns the rule's label name and filled message, or undefined when no rule matches
 */
export function matchExecutionRule(
  action: WorkflowActionDefinition,
  outputs: Record<string, unknown>,
  lang = 'en',
): { labelName: string; message?: string } | undefined {
  const rule = action.executionRules.find((candidate) =>
    Object.entries(candidate.conditions).every(([name, expected]) => conditionHolds(outputs[name], expected)),
  );
  if (rule === undefined) return undefined;
  const template = action.labels[lang]?.executionRules?.[rule.labelName];
  return template === undefined ? { labelName: rule.labelName } : { labelName: rule.labelName, message: fillTemplate(template, outputs) };
}

/**
 * Replaces `{{ name }}` / `{{name}}` with output values; unknown names become empty.
 * @param template the label text
 * @param values output fields
 * @returns the filled text
 */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? '' : String(value);
  });
}

// A condition value may be a list of allowed values; outputs are strings on the wire, so compare as text.
function conditionHolds(actual: unknown, expected: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  const allowed = Array.isArray(expected) ? expected : [expected];
  return allowed.some((value) => String(value) === String(actual));
}
