// The manifest ↔ handler half of the workflow-action contract: each action's zod
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

/** Values to try on an input field: its static options and one value outside them, or one value of its type and one of another. */
function samplesFor(field: FieldDefinition): { value: unknown; valid: boolean }[] {
  const { name, type, options, optionsUrl } = field.typeDefinition;
  if (options !== undefined) return [...options.map(({ value }) => ({ value, valid: true })), { value: 'not-an-option', valid: false }];
  if (type === 'number') return [{ value: 5, valid: true }, { value: 'five', valid: false }];
  if (type === 'string' || (type === 'enumeration' && optionsUrl !== undefined)) {
    return [{ value: 'Agent took over', valid: true }, { value: { text: 'not a string' }, valid: false }];
  }
  throw new Error(`${name}: no sample values for input type ${type}; add them here`);
}

// Error codes each action can answer; every one needs an execution rule (custom-action reference, `executionRules`) so HubSpot shows a message.
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

    // Both checks below go through every input field of every manifest, so none of them can pass by running zero
    // times: a manifest without input fields fails the length check.
    test('when each input field gets values of its manifest type, then the schema accepts the valid ones and refuses the rest', () => {
      const rows = meta.config.inputFields.flatMap((field) =>
        samplesFor(field).map(({ value, valid }) => ({
          field: field.typeDefinition.name,
          value,
          valid,
          accepted: shape[field.typeDefinition.name]!.safeParse(value).success,
        })),
      );

      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map(({ field, value, accepted }) => ({ field, value, accepted }))).toStrictEqual(
        rows.map(({ field, value, valid }) => ({ field, value, accepted: valid })),
      );
    });

    test('when input fields are matched with the options route, then exactly the fields it serves have an optionsUrl pointing at it', () => {
      const fields = meta.config.inputFields.map(({ typeDefinition: { name, optionsUrl } }) => ({ name, optionsUrl }));

      expect(fields.length).toBeGreaterThan(0);
      expect(fields.map(({ name, optionsUrl }) => ({ name, optionsUrl: optionsUrl === undefined ? null : optionsUrl.replace(/^.*\/hubspot\//, '/hubspot/') }))).toStrictEqual(
        fields.map(({ name }) => ({ name, optionsUrl: OPTIONS_FIELDS.has(name) ? `/hubspot/actions/options/${name}` : null })),
      );
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
