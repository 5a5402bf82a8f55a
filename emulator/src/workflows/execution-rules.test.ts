import { describe, it, expect } from '@jest/globals';
import { fillTemplate, matchExecutionRule } from './execution-rules.js';
import type { WorkflowActionDefinition } from '../manifests.js';

// An example in the shape of HubSpot's custom-action reference (`executionRules`): rules matched in order, a condition value may be a list.
const action: WorkflowActionDefinition = {
  uid: 'widget_action',
  actionUrl: 'https://example.com/a',
  isPublished: true,
  objectTypes: ['CONTACT'],
  objectRequestOptions: { properties: [] },
  inputFields: [],
  outputFields: [],
  executionRules: [
    { labelName: 'alreadyExists', conditions: { errorCode: 'ALREADY_EXISTS' } },
    { labelName: 'widgetWrongSize', conditions: { errorCode: 'WIDGET_SIZE', sizeError: ['TOO_SMALL', 'TOO_BIG'] } },
    { labelName: 'anyWidgetError', conditions: { errorCode: 'WIDGET_SIZE' } },
  ],
  labels: {
    en: {
      actionName: 'Widget',
      executionRules: {
        alreadyExists: 'The widget with name {{ widgetName }} already exists',
        widgetWrongSize: 'Wrong size: {{sizeError}}',
      },
    },
  },
};

describe('matchExecutionRule', () => {
  it('when no rule matches, then there is no message', () => {
    expect(matchExecutionRule(action, { errorCode: 'OTHER' })).toBeUndefined();
    expect(matchExecutionRule(action, {})).toBeUndefined();
  });

  it('when the first rule matches, then its message is filled from the outputs', () => {
    expect(matchExecutionRule(action, { errorCode: 'ALREADY_EXISTS', widgetName: 'x' })).toStrictEqual({
      labelName: 'alreadyExists',
      message: 'The widget with name x already exists',
    });
  });

  it('when a condition lists values, then any of them matches, and later rules catch the rest', () => {
    expect(matchExecutionRule(action, { errorCode: 'WIDGET_SIZE', sizeError: 'TOO_BIG' })?.message).toBe('Wrong size: TOO_BIG');
    expect(matchExecutionRule(action, { errorCode: 'WIDGET_SIZE', sizeError: 'ODD' })).toStrictEqual({ labelName: 'anyWidgetError' });
  });
});

describe('fillTemplate', () => {
  it('when a name is unknown, then it becomes empty', () => {
    expect(fillTemplate('a {{ b }} c {{d}}', { d: 1 })).toBe('a  c 1');
  });
});
