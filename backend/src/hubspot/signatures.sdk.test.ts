// v3 verification against HubSpot's own signer (`Signature` of `@hubspot/api-client`), which signs the
// URI exactly as given, as the `hs project dev` proxy does. The backend accepts that raw form and the
// decoded form of the request-validation docs; neither passes without the client secret.
import { describe, expect, it } from '@jest/globals';
import { Signature } from '@hubspot/api-client';
import { normaliseV3Uri, verifyHubSpotRequest, verifyV3 } from './signatures.js';

const SECRET = 'sdk-signer-secret';
const NOW = 1_767_225_600_123;
const BASE = 'https://switchboard.example.com/hubspot/ui/records/tickets/1001';
// `a%40b.com` (the escaped @) and a `+` escaped as %2B: the characters an email puts in a query.
const URIS = [
  `${BASE}?portalId=62515&userId=7&userEmail=a%40b.com`,
  `${BASE}?portalId=62515&userId=7&userEmail=jane%2Bagent%40example.com`,
  `${BASE}?portalId=62515&userId=7&userEmail=o%27brien%40example.com&note=%28x%29%20y`,
];

function sdkSign(method: string, url: string, body: string, timestamp = NOW): string {
  return Signature.getSignature(method, 'v3', { clientSecret: SECRET, url, requestBody: body, timestamp, signature: '' });
}

describe('verifyV3 with signatures made by @hubspot/api-client', () => {
  it.each(URIS)('when the SDK signs the URI as sent (%s), then the backend accepts it', (uri) => {
    const body = '{"pauseOnOwnerChange":true}';
    const signature = sdkSign('PATCH', uri, body);
    expect(verifyV3({ clientSecret: SECRET, method: 'PATCH', uri, rawBody: Buffer.from(body), signature, timestamp: String(NOW), now: NOW })).toStrictEqual({ ok: true, version: 'v3' });
  });

  it.each(URIS)('when the SDK signs the decoded URI (%s), then the backend accepts it too', (uri) => {
    const decoded = normaliseV3Uri(uri);
    expect(decoded).not.toBe(uri);
    const signature = sdkSign('GET', decoded, '');
    expect(verifyV3({ clientSecret: SECRET, method: 'GET', uri, rawBody: Buffer.alloc(0), signature, timestamp: String(NOW), now: NOW }).ok).toBe(true);
  });

  it('when the SDK signature is checked by the SDK itself, then it agrees with the backend on both forms', () => {
    const uri = URIS[0]!;
    const timestamp = Date.now();
    for (const form of [uri, normaliseV3Uri(uri)]) {
      const signature = Signature.getSignature('GET', 'v3', { clientSecret: SECRET, url: form, requestBody: '', timestamp, signature: '' });
      expect(Signature.isValid({ signatureVersion: 'v3', method: 'GET', url: form, requestBody: '', clientSecret: SECRET, timestamp, signature })).toBe(true);
      expect(verifyV3({ clientSecret: SECRET, method: 'GET', uri, rawBody: Buffer.alloc(0), signature, timestamp: String(timestamp), now: timestamp }).ok).toBe(true);
    }
  });

  it('when either form is signed with another secret, then it is a mismatch', () => {
    for (const form of [URIS[0]!, normaliseV3Uri(URIS[0]!)]) {
      const signature = Signature.getSignature('GET', 'v3', { clientSecret: 'not-the-secret', url: form, requestBody: '', timestamp: NOW, signature: '' });
      expect(verifyV3({ clientSecret: SECRET, method: 'GET', uri: URIS[0]!, rawBody: Buffer.alloc(0), signature, timestamp: String(NOW), now: NOW })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v3' });
    }
  });

  it('when the request differs from what was signed (another user, a decoded + turned into a space), then it is a mismatch', () => {
    const signed = URIS[1]!;
    const signature = sdkSign('GET', signed, '');
    const check = (uri: string) => verifyV3({ clientSecret: SECRET, method: 'GET', uri, rawBody: Buffer.alloc(0), signature, timestamp: String(NOW), now: NOW });
    expect(check(signed).ok).toBe(true);
    expect(check(signed.replace('jane%2Bagent', 'mallory')).ok).toBe(false);
    // %2B is not in the decode table, so neither form turns it into '+' or ' '.
    expect(check(signed.replace('%2B', '+')).ok).toBe(false);
    expect(check(signed.replace('%2B', '%20')).ok).toBe(false);
  });

  it('when a whole request carries the SDK signature in its headers, then verifyHubSpotRequest accepts it', () => {
    const uri = URIS[1]!;
    const body = '{}';
    const headers = { 'x-hubspot-signature-v3': sdkSign('POST', uri, body), 'x-hubspot-request-timestamp': String(NOW) };
    expect(verifyHubSpotRequest({ method: 'POST', uri, rawBody: Buffer.from(body), headers }, { clientSecret: SECRET, now: NOW, fallback: 'none' })).toStrictEqual({ ok: true, version: 'v3' });
  });
});
