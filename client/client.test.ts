// The typed client against the OpenAPI document (same operations, methods and paths) and
// verifyPushSignature against the backend's own signer.
import { describe, expect, test } from '@jest/globals';
import { signEventPayload } from '../backend/src/modules/events/events.service.js';
import { buildOpenApiDocument } from '../backend/src/openapi/openapi-document.js';
import { CLIENT_OPERATIONS, createSwitchboardClient, PushSignatureError, SwitchboardApiError, verifyPushSignature } from './index.js';

const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { operationId: string }>> };

describe('the client against the OpenAPI document', () => {
  test('when both are listed, then every documented operation has a client method with its operationId, method and path, and nothing more', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [op.operationId, method.toUpperCase(), path]));
    const client = createSwitchboardClient({ baseUrl: 'http://localhost' });
    const implemented = Object.entries(CLIENT_OPERATIONS).map(([id, [method, path]]) => [id, method, path]);

    expect([...implemented].sort()).toStrictEqual([...documented].sort());
    expect(Object.keys(client).sort()).toStrictEqual(Object.keys(CLIENT_OPERATIONS).sort());
  });

  test('when the API answers an error, then the client throws SwitchboardApiError with its code, message and details', async () => {
    const fake: typeof fetch = async () => new Response(JSON.stringify({ error: { code: 'invalid_body', message: 'Request body is invalid', details: [{ path: 'externalId', message: 'Required' }] } }), { status: 400 });
    const client = createSwitchboardClient({ baseUrl: 'http://localhost', apiKey: 'k', fetch: fake });

    const err = await client.upsertConversation({ externalId: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwitchboardApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_body', details: [{ path: 'externalId', message: 'Required' }] });
  });

  test('when a method is called, then it sends the documented method, path, query, key and JSON body', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fake: typeof fetch = async (url, init) => {
      seen.push({ url: String(url), init: init ?? {} });
      return new Response('{}', { status: 200 });
    };
    const client = createSwitchboardClient({ baseUrl: 'http://h/', apiKey: 'org-key', fetch: fake });
    await client.pauseAi('c 1', { reason: 'r' });
    await client.listConversations({ ticketId: 1002 });

    expect(seen.map((s) => [s.init.method, s.url, (s.init.headers as Record<string, string>).authorization, s.init.body])).toStrictEqual([
      ['POST', 'http://h/api/v1/conversations/c%201/pause', 'Bearer org-key', '{"reason":"r"}'],
      ['GET', 'http://h/api/v1/conversations?ticketId=1002', 'Bearer org-key', undefined],
    ]);
  });
});

describe('verifyPushSignature', () => {
  const secret = 'sbwh_test-secret';
  const body = JSON.stringify({ id: '7', organizationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', type: 'ai.paused', createdAt: '2026-12-05T10:00:00.000Z', data: {} });
  const now = 1_800_000_000_000;
  const headers = (timestamp: number, signature = signEventPayload(secret, String(timestamp), body)) => ({ 'X-Switchboard-Signature': signature, 'X-Switchboard-Timestamp': String(timestamp) });

  test('when a push is signed by the backend’s signer, then it verifies and returns the event', () => {
    expect(verifyPushSignature({ secret, headers: headers(now), rawBody: body, now })).toMatchObject({ id: '7', type: 'ai.paused' });
    expect(verifyPushSignature({ secret, headers: new Headers(headers(now)), rawBody: Buffer.from(body), now }).id).toBe('7');
  });

  test('when the body, the secret or the signature differ, then it refuses with bad_signature', () => {
    const refused = (input: Parameters<typeof verifyPushSignature>[0]) => {
      try {
        verifyPushSignature(input);
        return 'accepted';
      } catch (err) {
        return (err as PushSignatureError).reason;
      }
    };
    expect(refused({ secret, headers: headers(now), rawBody: body.replace('7', '8'), now })).toBe('bad_signature');
    expect(refused({ secret: 'other', headers: headers(now), rawBody: body, now })).toBe('bad_signature');
    expect(refused({ secret, headers: headers(now, 'v1=00'), rawBody: body, now })).toBe('bad_signature');
    expect(refused({ secret, headers: {}, rawBody: body, now })).toBe('missing_header');
  });

  test('when the timestamp is older than the tolerance, then it refuses with stale_timestamp (a replay)', () => {
    const old = now - 5 * 60_000 - 1;
    expect(() => verifyPushSignature({ secret, headers: headers(old), rawBody: body, now })).toThrow(PushSignatureError);
    expect(verifyPushSignature({ secret, headers: headers(old), rawBody: body, now, toleranceMs: 10 * 60_000 }).id).toBe('7');
  });
});
