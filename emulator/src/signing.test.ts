// Signature conformance: HubSpot's published vectors (its v1/v2 request-validation
// docs and its SDKs' signature tests), vectors this project computed, and HubSpot's own
// Node SDK (`Signature.isValid`) accepting what the emulator signs.
import { describe, it, expect } from '@jest/globals';
import { Signature } from '@hubspot/api-client';
import { normaliseV3Uri, signedHeaders, signV1, signV2, signV3 } from './signing.js';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URI = 'https://www.example.com/webhook_uri';
const B1 =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const SINGLE_QUOTE_BODY = "{'example_field':'example_value'}";

const L_SECRET = 'test-client-secret';
const L_TS = '1767225600123';
const L_URI = 'https://example.com/hubspot/webhooks';
const B2 =
  '[{"eventId":100,"subscriptionId":200,"portalId":300,"appId":400,"occurredAt":1767225600000,"subscriptionType":"object.creation","attemptNumber":0,"objectId":500,"objectTypeId":"0-5","changeSource":"CRM_UI","sourceId":"userId:600"}]';
const B3 =
  '[{"eventId":7,"portalId":300,"subscriptionType":"contact.propertyChange","objectId":9,"propertyName":"firstname","propertyValue":"Zoë ✓"}]';

describe('published vectors (HubSpot docs and SDK tests, P1–P8)', () => {
  it('when signing P1 (v1, docs body B1), then it matches', () => {
    expect(signV1(SECRET, B1)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });
  it('when signing P2 (v2, GET, empty body), then it matches', () => {
    expect(signV2(SECRET, 'GET', URI, '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
  });
  it('when signing P3 (v2, POST, JSON body), then it matches', () => {
    expect(signV2(SECRET, 'POST', URI, '{"example_field":"example_value"}')).toBe(
      '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
    );
  });
  it('when signing P4 (v1, single-quote body), then it matches', () => {
    expect(signV1(SECRET, SINGLE_QUOTE_BODY)).toBe('69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750');
  });
  it('when signing P5 (v2, POST, single-quote body), then it matches', () => {
    expect(signV2(SECRET, 'POST', URI, SINGLE_QUOTE_BODY)).toBe(
      '4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383',
    );
  });
  it.each([
    ['P6', '15000000', 'HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw='],
    ['P7', '1693657560000', 'K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y='],
    ['P8', '1700000300000', 'RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw='],
  ])('when signing %s (v3, timestamp %s), then it matches', (_name, timestamp, expected) => {
    expect(signV3(SECRET, 'POST', URI, SINGLE_QUOTE_BODY, timestamp)).toBe(expected);
  });
});

describe('project vectors (computed here with node:crypto, L1–L7)', () => {
  it('when signing L1 (v3, B2), then it matches', () => {
    expect(signV3(L_SECRET, 'POST', L_URI, B2, L_TS)).toBe('lTpWa4BaJYoOe2WBlSmBmuvd6CwbCa/jVNFCd20MF5M=');
  });
  it('when signing L2 (v1, B2), then it matches', () => {
    expect(signV1(L_SECRET, B2)).toBe('0d1c7857bb5beb4650927fd59c6b36486237ad9631b8ab36fe106a7a9148512c');
  });
  it('when signing L3 (v2, B2), then it matches', () => {
    expect(signV2(L_SECRET, 'POST', L_URI, B2)).toBe('d1ede4d802bc13a4cfc6a5640098e3837f4b1b21f15d0448e019076301411132');
  });
  it('when signing L4 (v3, encoded query), then the decode table is applied and it matches', () => {
    const uri = `${L_URI}?src=a%3Ab&x=%28y%29&q=hello%20world`;
    expect(normaliseV3Uri(uri)).toBe(`${L_URI}?src=a:b&x=(y)&q=hello%20world`);
    expect(signV3(L_SECRET, 'POST', uri, B2, L_TS)).toBe('+Ugou0KrtSxUI7jGn9e0Oq0HOkJtQMY7Be5wCiiKJBA=');
  });
  it('when the L4 URI is hashed without decoding (L5), then the result differs from L4', () => {
    const uri = `${L_URI}?src=a%3Ab&x=%28y%29&q=hello%20world`;
    const decoded = signV3(L_SECRET, 'POST', uri, B2, L_TS);
    expect(decoded).not.toBe('kds/VIKMXsZX1Guv6HD3hv/g+qdG6I4sIeyKuJSO6BI=');
    expect(Signature.getSignature('POST', 'v3', { clientSecret: L_SECRET, requestBody: B2, url: uri, timestamp: Number(L_TS), signature: '' })).toBe(
      'kds/VIKMXsZX1Guv6HD3hv/g+qdG6I4sIeyKuJSO6BI=',
    );
  });
  it('when signing L6 (v3, UTF-8 body B3), then it matches', () => {
    expect(signV3(L_SECRET, 'POST', L_URI, B3, L_TS)).toBe('I/27Pw3scUZMxzZjEqNhzePNcjbcypshuvi2s50lsYY=');
    expect(signV3(L_SECRET, 'POST', L_URI, Buffer.from(B3, 'utf8'), L_TS)).toBe('I/27Pw3scUZMxzZjEqNhzePNcjbcypshuvi2s50lsYY=');
  });
  it('when signing L7 (v3, other secret and URL), then it matches', () => {
    const body = '[{"eventId":1,"subscriptionType":"object.propertyChange","objectId":42}]';
    expect(signV3('my-client-secret', 'POST', 'https://api.example.com/hubspot/webhooks', body, 1700000000000)).toBe(
      'UUKU3WIlGbnqE+MIc+2NVjBMInObS33IRPGUlxkMn94=',
    );
  });
});

describe('normaliseV3Uri', () => {
  it('when escapes use lower-case hex, then they are decoded too', () => {
    expect(normaliseV3Uri('https://x.example/a%2fb?e=a%40b.com&c=%3a')).toBe('https://x.example/a/b?e=a@b.com&c=:');
  });
  it('when escapes are outside the table, then they stay encoded', () => {
    const uri = 'https://x.example/p?a=%20%26%3D%2B%25';
    expect(normaliseV3Uri(uri)).toBe(uri);
  });
  it('when every table entry is present, then each decodes to its character', () => {
    expect(normaliseV3Uri('%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B')).toBe(":/?@!$'()*,;");
  });
});

describe('Signature.isValid from @hubspot/api-client accepts emulator signatures', () => {
  const secret = 'conformance-secret';
  const url = 'https://backend.example.com/hubspot/webhooks?portalId=1&userEmail=a%40b.com';
  const body = '[{"eventId":1,"portalId":1,"subscriptionType":"ticket.creation","objectId":5,"note":"Zoë"}]';

  it('when the emulator signs v1, then the SDK validates it', () => {
    const headers = signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: Date.now(), versions: ['v1', 'v3'] });
    expect(headers['X-HubSpot-Signature-Version']).toBe('v1');
    expect(
      Signature.isValid({ signatureVersion: 'v1', signature: headers['X-HubSpot-Signature'] as string, clientSecret: secret, requestBody: body }),
    ).toBe(true);
  });

  it('when the emulator signs v2, then the SDK validates it over the URL as sent', () => {
    const headers = signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: Date.now(), versions: ['v2', 'v3'] });
    expect(headers['X-HubSpot-Signature-Version']).toBe('v2');
    expect(
      Signature.isValid({
        signatureVersion: 'v2',
        method: 'POST',
        url,
        signature: headers['X-HubSpot-Signature'] as string,
        clientSecret: secret,
        requestBody: body,
      }),
    ).toBe(true);
  });

  it('when the emulator signs v3, then the SDK validates it given a fresh timestamp and the normalised URL', () => {
    const timestamp = Date.now();
    const headers = signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp, versions: ['v1', 'v3'] });
    expect(headers['X-HubSpot-Request-Timestamp']).toBe(String(timestamp));
    const options = {
      signatureVersion: 'v3',
      method: 'POST',
      url: normaliseV3Uri(url),
      signature: headers['X-HubSpot-Signature-v3'] as string,
      clientSecret: secret,
      requestBody: body,
      timestamp: Number(headers['X-HubSpot-Request-Timestamp']),
    };
    expect(Signature.isValid(options)).toBe(true);
    // The SDK's `getSignature` does no URI decoding: given the raw URL it must disagree, proving decoding mattered.
    expect(Signature.isValid({ ...options, url })).toBe(false);
    expect(Signature.isValid({ ...options, clientSecret: 'wrong' })).toBe(false);
  });

  it('when asked for both v1 and v2, then signedHeaders refuses (they share one header)', () => {
    expect(() => signedHeaders({ method: 'POST', url, body, clientSecret: secret, timestamp: 1, versions: ['v1', 'v2'] })).toThrow(
      'pick one',
    );
  });
});
