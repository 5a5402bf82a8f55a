// The manifest ↔ handler half of the workflow-action contract (house style §10, §16 item 3): each action's zod
// input schema mirrors its manifest's inputFields (names, required-ness, static options), its declared output
// fields match the manifest's, and every error_code we can answer has an execution rule with a message in
// each language. The route half (every actionUrl / optionsUrl is a guarded route) is project-routes.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { OPTIONS_FIELDS, WORKFLOW_ACTIONS } from '../../backend/src/modules/workflow-actions/workflow-actions.service.js';
import { REPO_ROOT } from './helpers/project-copy.js';

interface FieldDefinition {
  typeDefinition: { name: string; type: string; options?: { value: string }[]; optionsUrl?: string };
  isRequired?: boolean;
}
interface ActionManifest {
  uid: string;
  config: {
    actionUrl: string;
    inputFields: FieldDefinition[];
    outputFields: FieldDefinition[];
    executionRules: { labelName: string; conditions: Record<string, unknown> }[];
    labels: Record<string, { executionRules?: Record<string, string> }>;
  };
}

const folder = path.join(REPO_ROOT, 'src/app/workflow-actions');
const manifests = readdirSync(folder)
  .filter((f) => f.endsWith('-hsmeta.json'))
  .map((file) => ({ file, meta: JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as ActionManifest }));
const lastSegment = (url: string) => url.split('/').filter(Boolean).pop() ?? '';
const actionOf = (meta: ActionManifest) => {
  const action = WORKFLOW_ACTIONS.get(lastSegment(meta.config.actionUrl));
  if (!action) throw new Error(`no handler for ${meta.config.actionUrl}`);
  return action;
};

// Error codes each action can answer; every one needs an execution rule (§6.6) so HubSpot shows a message.
const COMMON_CODES = ['NOT_CONNECTED', 'MIGRATE_TO_OAUTH', 'NEEDS_REAUTH', 'INVALID_INPUT'];
const CODES_BY_ACTION: Record<string, string[]> = {
  'pause-ai': [...COMMON_CODES, 'NO_CONVERSATION', 'INVALID_TRANSITION'],
  'resume-ai': [...COMMON_CODES, 'NO_CONVERSATION', 'INVALID_TRANSITION'],
  'request-handoff': [...COMMON_CODES, 'NO_CONVERSATION', 'INVALID_TRANSITION'],
  'send-to-ai': [...COMMON_CODES, 'AI_FAILED', 'AI_TIMEOUT'],
};

describe('workflow-action manifests and handlers', () => {
  test('when the manifests are listed, then each actionUrl has a handler and each handler has a manifest', () => {
    const fromManifests = manifests.map(({ meta }) => lastSegment(meta.config.actionUrl)).sort();

    expect(fromManifests).toStrictEqual([...WORKFLOW_ACTIONS.keys()].sort());
    expect(fromManifests).toStrictEqual(Object.keys(CODES_BY_ACTION).sort());
  });

  describe.each(manifests)('$file', ({ meta }) => {
    const action = actionOf(meta);
    const shape = action.inputSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;

    test('when inputFields are compared with the zod schema, then the names are the same', () => {
      expect(Object.keys(shape).sort()).toStrictEqual(meta.config.inputFields.map((f) => f.typeDefinition.name).sort());
    });

    test('when an input is left out, then the schema requires exactly the fields the manifest marks isRequired', () => {
      for (const field of meta.config.inputFields) {
        const schema = shape[field.typeDefinition.name]!;
        expect({ name: field.typeDefinition.name, required: !schema.safeParse(undefined).success }).toStrictEqual({
          name: field.typeDefinition.name,
          required: field.isRequired === true,
        });
      }
    });

    test('when an enumeration has static options, then the schema accepts each option and nothing else', () => {
      for (const field of meta.config.inputFields.filter((f) => f.typeDefinition.options !== undefined)) {
        const schema = shape[field.typeDefinition.name]!;
        for (const option of field.typeDefinition.options!) expect(schema.safeParse(option.value).success).toBe(true);
        expect(schema.safeParse('not-an-option').success).toBe(false);
      }
    });

    test('when an input field has an optionsUrl, then it points at a field the options route serves', () => {
      for (const field of meta.config.inputFields.filter((f) => f.typeDefinition.optionsUrl !== undefined)) {
        expect(field.typeDefinition.optionsUrl).toMatch(/\/hubspot\/actions\/options\/[a-z_]+$/);
        expect(OPTIONS_FIELDS.has(lastSegment(field.typeDefinition.optionsUrl!))).toBe(true);
      }
    });

    test('when outputFields are compared with the handler, then the handler answers exactly those fields', () => {
      expect([...action.outputFields].sort()).toStrictEqual(meta.config.outputFields.map((f) => f.typeDefinition.name).sort());
    });

    test('when the action answers an error code, then an execution rule turns it into a message in every language', () => {
      const ruleByCode = new Map(meta.config.executionRules.map((r) => [r.conditions.error_code, r.labelName]));
      for (const code of CODES_BY_ACTION[action.name]!) {
        const labelName = ruleByCode.get(code);
        expect({ code, hasRule: labelName !== undefined }).toStrictEqual({ code, hasRule: true });
        for (const [lang, labels] of Object.entries(meta.config.labels)) {
          expect({ code, lang, message: typeof labels.executionRules?.[labelName!] }).toStrictEqual({ code, lang, message: 'string' });
        }
      }
      expect(Object.keys(meta.config.labels).length).toBeGreaterThanOrEqual(2);
    });
  });
});
