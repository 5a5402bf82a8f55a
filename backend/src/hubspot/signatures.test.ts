import { describe, expect, it } from '@jest/globals';
import { signV2, signV3 } from '../../../emulator/src/signing.js';
import { normaliseV3Uri, verifyHubSpotRequest, verifyV1, verifyV2, verifyV3 } from './signatures.js';

// Vectors published by HubSpot (P*: its docs and SDK tests) and computed by the project (L*).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URI = 'https://www.example.com/webhook_uri';
const B1 = Buffer.from(
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]',
);
const SINGLE_QUOTE_BODY = Buffer.from("{'example_field':'example_value'}");
const L_SECRET = 'test-client-secret';
const L_TS = '1767225600123';
const L_NOW = Number(L_TS) + 1_000;
const B2 = Buffer.from(
  '[{"eventId":100,"subscriptionId":200,"portalId":300,"appId":400,"occurredAt":1767225600000,"subscriptionType":"object.creation","attemptNumber":0,"objectId":500,"objectTypeId":"0-5","changeSource":"CRM_UI","sourceId":"userId:600"}]',
);
const B3 = Buffer.from('[{"eventId":7,"portalId":300,"subscriptionType":"contact.propertyChange","objectId":9,"propertyName":"firstname","propertyValue":"Zoë ✓"}]', 'utf8');
const L_URI = 'https://example.com/hubspot/webhooks';

describe('verifyV1', () => {
  it('when given HubSpot vector P1 (docs body), then it passes', () => {
    expect(verifyV1({ clientSecret: SECRET, rawBody: B1, signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de' })).toStrictEqual({ ok: true, version: 'v1' });
  });
  it('when given vector P4 (single-quote body), then it passes', () => {
    expect(verifyV1({ clientSecret: SECRET, rawBody: SINGLE_QUOTE_BODY, signature: '69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750' }).ok).toBe(true);
  });
  it('when given project vector L2, then it passes', () => {
    expect(verifyV1({ clientSecret: L_SECRET, rawBody: B2, signature: '0d1c7857bb5beb4650927fd59c6b36486237ad9631b8ab36fe106a7a9148512c' }).ok).toBe(true);
  });
  it('when the secret is wrong, then it is a mismatch', () => {
    expect(verifyV1({ clientSecret: 'other', rawBody: B1, signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de' })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v1' });
  });
  it('when the signature header is missing, then it says so', () => {
    expect(verifyV1({ clientSecret: SECRET, rawBody: B1, signature: undefined })).toStrictEqual({ ok: false, reason: 'missing_header', version: 'v1' });
  });
});

describe('verifyV2', () => {
  it('when given vector P2 (GET, empty body), then it passes', () => {
    expect(verifyV2({ clientSecret: SECRET, method: 'GET', uri: URI, rawBody: Buffer.alloc(0), signature: 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e' })).toStrictEqual({ ok: true, version: 'v2' });
  });
  it('when given vector P3 (POST, JSON body), then it passes', () => {
    const body = Buffer.from('{"example_field":"example_value"}');
    expect(verifyV2({ clientSecret: SECRET, method: 'POST', uri: URI, rawBody: body, signature: '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900' }).ok).toBe(true);
  });
  it('when given vector P5 (single-quote body), then it passes', () => {
    expect(verifyV2({ clientSecret: SECRET, method: 'post', uri: URI, rawBody: SINGLE_QUOTE_BODY, signature: '4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383' }).ok).toBe(true);
  });
  it('when given project vector L3, then it passes', () => {
    expect(verifyV2({ clientSecret: L_SECRET, method: 'POST', uri: L_URI, rawBody: B2, signature: 'd1ede4d802bc13a4cfc6a5640098e3837f4b1b21f15d0448e019076301411132' }).ok).toBe(true);
  });
  it('when the URI has a trailing slash, then it is a mismatch', () => {
    expect(verifyV2({ clientSecret: L_SECRET, method: 'POST', uri: `${L_URI}/`, rawBody: B2, signature: 'd1ede4d802bc13a4cfc6a5640098e3837f4b1b21f15d0448e019076301411132' })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v2' });
  });
});

describe('verifyV3', () => {
  const v3 = (over: Partial<Parameters<typeof verifyV3>[0]> = {}) =>
    verifyV3({ clientSecret: L_SECRET, method: 'POST', uri: L_URI, rawBody: B2, signature: 'lTpWa4BaJYoOe2WBlSmBmuvd6CwbCa/jVNFCd20MF5M=', timestamp: L_TS, now: L_NOW, ...over });

  it('when given vector P6 (timestamp 15000000, checked at that time), then it passes', () => {
    expect(verifyV3({ clientSecret: SECRET, method: 'POST', uri: URI, rawBody: SINGLE_QUOTE_BODY, signature: 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=', timestamp: '15000000', now: 15_000_000 })).toStrictEqual({ ok: true, version: 'v3' });
  });
  it('when given vector P7, then it passes', () => {
    expect(verifyV3({ clientSecret: SECRET, method: 'POST', uri: URI, rawBody: SINGLE_QUOTE_BODY, signature: 'K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=', timestamp: '1693657560000', now: 1_693_657_560_000 }).ok).toBe(true);
  });
  it('when given vector P8, then it passes', () => {
    expect(verifyV3({ clientSecret: SECRET, method: 'POST', uri: URI, rawBody: SINGLE_QUOTE_BODY, signature: 'RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw=', timestamp: '1700000300000', now: 1_700_000_300_000 }).ok).toBe(true);
  });
  it('when given vector L1, then it passes', () => {
    expect(v3()).toStrictEqual({ ok: true, version: 'v3' });
  });
  it('when given vector L4 (query with %3A and %28/%29), then it passes after decoding', () => {
    const uri = 'https://example.com/hubspot/webhooks?src=a%3Ab&x=%28y%29&q=hello%20world';
    expect(normaliseV3Uri(uri)).toBe('https://example.com/hubspot/webhooks?src=a:b&x=(y)&q=hello%20world');
    expect(v3({ uri, signature: '+Ugou0KrtSxUI7jGn9e0Oq0HOkJtQMY7Be5wCiiKJBA=' }).ok).toBe(true);
  });
  it('when given vector L5 (the same URI signed as received, without decoding), then it passes too', () => {
    const uri = 'https://example.com/hubspot/webhooks?src=a%3Ab&x=%28y%29&q=hello%20world';
    expect(v3({ uri, signature: 'kds/VIKMXsZX1Guv6HD3hv/g+qdG6I4sIeyKuJSO6BI=' })).toStrictEqual({ ok: true, version: 'v3' });
    // Either form still needs the secret.
    expect(v3({ uri, clientSecret: 'wrong-secret', signature: 'kds/VIKMXsZX1Guv6HD3hv/g+qdG6I4sIeyKuJSO6BI=' }).ok).toBe(false);
  });
  it('when given vector L6 (UTF-8 body), then it passes', () => {
    expect(v3({ rawBody: B3, signature: 'I/27Pw3scUZMxzZjEqNhzePNcjbcypshuvi2s50lsYY=' }).ok).toBe(true);
  });
  it('when given vector L7, then it passes', () => {
    const body = Buffer.from('[{"eventId":1,"subscriptionType":"object.propertyChange","objectId":42}]');
    expect(verifyV3({ clientSecret: 'my-client-secret', method: 'POST', uri: 'https://api.example.com/hubspot/webhooks', rawBody: body, signature: 'UUKU3WIlGbnqE+MIc+2NVjBMInObS33IRPGUlxkMn94=', timestamp: '1700000000000', now: 1_700_000_000_000 }).ok).toBe(true);
  });
  it('when lower-case escapes are used, then they decode like upper-case ones', () => {
    expect(normaliseV3Uri('https://x.test/p?a=%3a%2f%3F%40%21%24%27%28%29%2a%2c%3b%20%2B')).toBe("https://x.test/p?a=:/?@!$'()*,;%20%2B");
  });

  it('when the timestamp is 300 001 ms old, then it is stale', () => {
    expect(v3({ now: Number(L_TS) + 300_001 })).toStrictEqual({ ok: false, reason: 'stale_timestamp', version: 'v3' });
  });
  it('when the timestamp is exactly 300 000 ms old, then it still passes', () => {
    expect(v3({ now: Number(L_TS) + 300_000 }).ok).toBe(true);
  });
  it('when the timestamp is 300 001 ms in the future, then it is refused', () => {
    expect(v3({ now: Number(L_TS) - 300_001 })).toStrictEqual({ ok: false, reason: 'future_timestamp', version: 'v3' });
  });
  it('when the timestamp is not numeric, then it is refused', () => {
    expect(v3({ timestamp: '1767225600123abc' })).toStrictEqual({ ok: false, reason: 'invalid_timestamp', version: 'v3' });
    expect(v3({ timestamp: '-5' })).toStrictEqual({ ok: false, reason: 'invalid_timestamp', version: 'v3' });
  });
  it('when the timestamp header is missing, then it says so', () => {
    expect(v3({ timestamp: undefined })).toStrictEqual({ ok: false, reason: 'missing_header', version: 'v3' });
  });
  it('when one trailing space is added to the body, then it is a mismatch', () => {
    expect(v3({ rawBody: Buffer.concat([B2, Buffer.from(' ')]) })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v3' });
  });
  it('when the URI says http:// instead of https://, then it is a mismatch', () => {
    expect(v3({ uri: 'http://example.com/hubspot/webhooks' }).ok).toBe(false);
  });
  it('when the URI has a trailing slash, then it is a mismatch', () => {
    expect(v3({ uri: `${L_URI}/` }).ok).toBe(false);
  });
  it('when the query parameters are swapped, then it is a mismatch', () => {
    const signed = 'https://example.com/hubspot/webhooks?a=1&b=2';
    const signature = signV3(L_SECRET, 'POST', signed, B2, L_TS);
    expect(v3({ uri: signed, signature }).ok).toBe(true);
    expect(v3({ uri: 'https://example.com/hubspot/webhooks?b=2&a=1', signature }).ok).toBe(false);
  });
  it('when a proxy turned every + of the signature into a space, then it still passes', () => {
    const signature = '+Ugou0KrtSxUI7jGn9e0Oq0HOkJtQMY7Be5wCiiKJBA=';
    const uri = 'https://example.com/hubspot/webhooks?src=a%3Ab&x=%28y%29&q=hello%20world';
    expect(v3({ uri, signature: signature.replace(/\+/g, ' ') }).ok).toBe(true);
  });
  it('when the secret is wrong, then it is a mismatch', () => {
    expect(v3({ clientSecret: 'wrong-secret' })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v3' });
  });
  it('when the signature has another length, then it is a mismatch rather than a throw', () => {
    expect(v3({ signature: 'short' })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v3' });
  });
});

describe('verifyHubSpotRequest', () => {
  const now = 1_767_225_600_123;
  const body = B2;
  const base = { method: 'POST', uri: L_URI, rawBody: body };

  it('when v3 headers are present, then v3 decides even if a valid v2 is also present', () => {
    const headers = {
      'x-hubspot-signature-v3': signV3(L_SECRET, 'POST', L_URI, body, now),
      'x-hubspot-request-timestamp': String(now),
      'x-hubspot-signature': signV2(L_SECRET, 'POST', L_URI, body),
      'x-hubspot-signature-version': 'v2',
    };
    expect(verifyHubSpotRequest({ ...base, headers }, { clientSecret: L_SECRET, now, fallback: 'v2' })).toStrictEqual({ ok: true, version: 'v3' });
    const bad = { ...headers, 'x-hubspot-signature-v3': signV3('other', 'POST', L_URI, body, now) };
    expect(verifyHubSpotRequest({ ...base, headers: bad }, { clientSecret: L_SECRET, now, fallback: 'v2' })).toStrictEqual({ ok: false, reason: 'mismatch', version: 'v3' });
  });
  it('when the v3 header is missing, then it falls back to v2 for a v2 route', () => {
    const headers = { 'x-hubspot-signature': signV2(L_SECRET, 'POST', L_URI, body), 'x-hubspot-signature-version': 'v2' };
    expect(verifyHubSpotRequest({ ...base, headers }, { clientSecret: L_SECRET, now, fallback: 'v2' })).toStrictEqual({ ok: true, version: 'v2' });
  });
  it('when only v1 is sent to a route without a v1 fallback, then the version is not allowed', () => {
    const headers = { 'x-hubspot-signature': '0d1c7857bb5beb4650927fd59c6b36486237ad9631b8ab36fe106a7a9148512c', 'x-hubspot-signature-version': 'v1' };
    expect(verifyHubSpotRequest({ ...base, headers }, { clientSecret: L_SECRET, now, fallback: 'none' })).toStrictEqual({ ok: false, reason: 'version_not_allowed' });
    expect(verifyHubSpotRequest({ ...base, headers }, { clientSecret: L_SECRET, now, fallback: 'v1' })).toStrictEqual({ ok: true, version: 'v1' });
  });
  it('when no signature header is present, then it is missing_header', () => {
    expect(verifyHubSpotRequest({ ...base, headers: {} }, { clientSecret: L_SECRET, now, fallback: 'v1' })).toStrictEqual({ ok: false, reason: 'missing_header' });
  });
});
