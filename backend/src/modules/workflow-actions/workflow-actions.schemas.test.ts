// How HubSpot's input values are read: unset optional fields arrive as "" or null, numbers arrive as JSON
// numbers or as text (OBJECT_PROPERTY values are property strings).
import { describe, expect, test } from '@jest/globals';
import { pauseAiInputSchema } from './pause-ai.action.js';
import { sendToAiInputSchema } from './send-to-ai.action.js';
import { executionRequestSchema } from './workflow-actions.schemas.js';

describe('action input schemas', () => {
  test.each([
    [{}, {}],
    [{ reason: '', duration_minutes: '' }, { reason: undefined, duration_minutes: undefined }],
    [{ reason: null, duration_minutes: null }, { reason: undefined, duration_minutes: undefined }],
    [{ reason: '  lunch  ', duration_minutes: '15' }, { reason: 'lunch', duration_minutes: 15 }],
    [{ duration_minutes: 2.5 }, { duration_minutes: 2.5 }],
  ])('when Pause AI gets %j, then it reads %j', (input, expected) => {
    expect(pauseAiInputSchema.parse(input)).toStrictEqual(expected);
  });

  test.each([
    ['a word as duration', { duration_minutes: 'soon' }],
    ['a zero duration', { duration_minutes: 0 }],
    ['a negative duration as text', { duration_minutes: '-3' }],
    ['more than a week', { duration_minutes: 10_081 }],
    ['a 1,001-character reason', { reason: 'x'.repeat(1_001) }],
  ])('when Pause AI gets %s, then it is refused', (_label, input) => {
    expect(pauseAiInputSchema.safeParse(input).success).toBe(false);
  });

  test('when Send to AI gets instructions and an unset priority, then the priority is left unset (normal is applied later)', () => {
    expect(sendToAiInputSchema.parse({ instructions: ' Summarise ', priority: '' })).toStrictEqual({ instructions: 'Summarise', priority: undefined });
  });

  test.each([[{}], [{ instructions: '' }], [{ instructions: 'ok', priority: 'urgent' }]])('when Send to AI gets %j, then it is refused', (input) => {
    expect(sendToAiInputSchema.safeParse(input).success).toBe(false);
  });
});

describe('executionRequestSchema', () => {
  test('when HubSpot sends ids as text, an unknown field and a lower-case object type, then they are read as numbers and the extra field is dropped', () => {
    const parsed = executionRequestSchema.parse({
      callbackId: 'ap-1-2-3',
      origin: { portalId: '62515', actionDefinitionId: 9 },
      context: { source: 'WORKFLOWS', workflowId: '77' },
      object: { objectId: '904', objectType: 'ticket', properties: { subject: 'Hi', email: null } },
      inputFields: { reason: 'x' },
      fields: { reason: 'x' },
      somethingNew: true,
    });

    expect(parsed).toStrictEqual({
      callbackId: 'ap-1-2-3',
      origin: { portalId: 62515 },
      context: { source: 'WORKFLOWS', workflowId: 77 },
      object: { objectId: 904, objectType: 'TICKET', properties: { subject: 'Hi', email: null } },
      inputFields: { reason: 'x' },
    });
  });
});
