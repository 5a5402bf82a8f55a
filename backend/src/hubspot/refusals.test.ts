// Which HubSpot refusals name a field of our request (our bug) and which do not.
import { describe, expect, it } from '@jest/globals';
import { fieldsNamedInRefusal } from './refusals.js';

const res = (status: number, body: unknown) => ({ status, headers: {}, body });

describe('fieldsNamedInRefusal', () => {
  it('when a 4xx lists fields in errors[].in, then those fields are returned once each', () => {
    const body = { status: 'error', category: 'VALIDATION_ERROR', message: 'x', errors: [{ message: 'a', in: 'typedOutputs' }, { message: 'b', in: 'typedOutputs' }, { message: 'c', in: 'outputFields.ai_result' }] };
    expect(fieldsNamedInRefusal(res(400, body))).toStrictEqual(['typedOutputs', 'outputFields.ai_result']);
  });

  it('when a refusal names no field, or the answer is not a refusal (2xx, 429, 5xx, non-JSON), then no field is returned', () => {
    expect(fieldsNamedInRefusal(res(400, { category: 'VALIDATION_ERROR', message: 'already completed', context: { callbackId: ['x'] } }))).toStrictEqual([]);
    expect(fieldsNamedInRefusal(res(404, { category: 'OBJECT_NOT_FOUND' }))).toStrictEqual([]);
    expect(fieldsNamedInRefusal(res(429, { errors: [{ in: 'x' }] }))).toStrictEqual([]);
    expect(fieldsNamedInRefusal(res(500, { errors: [{ in: 'x' }] }))).toStrictEqual([]);
    expect(fieldsNamedInRefusal(res(400, 'Bad Request'))).toStrictEqual([]);
  });
});
