// What HubSpot's workflow editor guarantees before an action ever runs: required inputs are filled,
// enumeration values are among the static options, numbers are numbers (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference). The emulator
// refuses a request HubSpot could never send, so a test cannot pass on input HubSpot would not produce.
import type { InputFieldDefinition, WorkflowActionDefinition } from '../manifests.js';

/** One problem with the input values, in the control API's `details` shape. */
export interface InputIssue {
  path: string;
  message: string;
}

const NUMBER_TYPES = new Set(['number', 'currency_number']);

/**
 * Checks input values against an action's `inputFields`.
 * @param action the action definition
 * @param inputs the values a test wants HubSpot to send
 * @returns every issue found; empty when the input is acceptable
 */
export function validateInputFields(action: WorkflowActionDefinition, inputs: Record<string, unknown>): InputIssue[] {
  const issues: InputIssue[] = [];
  const byName = new Map(action.inputFields.map((field) => [field.typeDefinition.name, field]));
  for (const name of Object.keys(inputs)) {
    if (!byName.has(name)) issues.push({ path: `inputFields.${name}`, message: 'Unknown input field' });
  }
  for (const field of action.inputFields) {
    const name = field.typeDefinition.name;
    const value = inputs[name];
    const path = `inputFields.${name}`;
    if (value === undefined || value === null || value === '') {
      if (field.isRequired) issues.push({ path, message: 'Required' });
      continue;
    }
    const problem = checkValue(field, value);
    if (problem !== undefined) issues.push({ path, message: problem });
  }
  return issues;
}

function checkValue(field: InputFieldDefinition, value: unknown): string | undefined {
  const def = field.typeDefinition;
  if (def.type === 'json' || def.type === 'object_coordinates') return undefined;
  if (!['string', 'number', 'boolean'].includes(typeof value)) return `Expected a ${def.type} value`;
  if (NUMBER_TYPES.has(def.type)) {
    const numeric = typeof value === 'number' ? Number.isFinite(value) : /^-?\d+(\.\d+)?$/.test(String(value).trim());
    return numeric ? undefined : 'Expected a number';
  }
  if (def.type === 'bool') {
    return ['true', 'false'].includes(String(value)) ? undefined : 'Expected true or false';
  }
  if (def.type === 'enumeration' && def.options !== undefined && def.options.length > 0) {
    const allowed = new Set(def.options.map((option) => option.value));
    // Multi-select (checkbox) values travel as one `;`-separated string, as CRM properties do.
    const values = def.fieldType === 'checkbox' ? String(value).split(';') : [String(value)];
    const bad = values.filter((v) => !allowed.has(v));
    return bad.length === 0 ? undefined : `Not one of the options: ${bad.join(', ')} (allowed: ${[...allowed].join(', ')})`;
  }
  return undefined;
}
