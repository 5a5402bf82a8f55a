// The preview routes against a real emulator and a throwaway backend: the record and settings pages
// with their CSP and the extension's context, the bundle, bad input as 4xx (HTML for a browser, JSON
// otherwise), and the hubspot.fetch bridge: signed requests to permitted origins, a failure outcome
// when no response arrived.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createEmulator, type Emulator } from '../emulator.js';
import { startReceiver, type Receiver } from '../outbound/__support__/receiver.js';

let emulator: Emulator;
let backend: Receiver;

beforeAll(async () => {
  backend = await startReceiver();
  emulator = await createEmulator({ backendUrl: backend.url, warn: () => undefined });
});
afterAll(async () => {
  await emulator.stop();
  await backend.close();
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.respond(() => ({ status: 200, body: { connection: { status: 'connected', auth: 'oauth' }, conversations: [] } }));
});

const bootOf = (html: string, uid: string) => JSON.parse(new RegExp(`<script type="application/json" id="boot-${uid}">(.*?)</script>`).exec(html)?.[1] ?? 'null') as Record<string, unknown>;

describe('GET /_emulator/ui/:objectType/:objectId', () => {
  it('when a ticket is asked for, then the page has the record, a strict CSP, the card bundle and HubSpot\'s context for the record and viewer', async () => {
    const res = await request(emulator.url).get('/_emulator/ui/tickets/1001?portalId=62515&userId=1000002');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.text).toContain('Printer is on fire');
    expect(res.text).toContain('<script src="/_emulator/ui/assets/ext/switchboard_ai_state_card.js?v=');
    expect(bootOf(res.text, 'switchboard_ai_state_card')).toStrictEqual({
      uid: 'switchboard_ai_state_card',
      location: 'crm.record.sidebar',
      fetchPath: '/_emulator/ui/fetch',
      context: {
        location: 'crm.record.sidebar',
        crm: { objectId: 1001, objectTypeId: '0-5' },
        portal: { id: 62515, timezone: expect.any(String) },
        user: { id: 1000002, email: 'sam.agent@switchboard-demo.example.com', emails: ['sam.agent@switchboard-demo.example.com'], firstName: 'Sam', lastName: 'Agent', roles: [], teams: [], locale: 'en-US', language: 'en', permissions: [] },
        extension: { appId: emulator.app.appId, appName: 'Switchboard', cardTitle: 'Switchboard AI' },
        variables: expect.objectContaining({ BACKEND_URL: backend.url }),
      },
    });
    const bundle = await request(emulator.url).get('/_emulator/ui/assets/ext/switchboard_ai_state_card.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toContain('javascript');
    expect(bundle.text).toContain('mountExtension');
  }, 60_000);

  it('when a contact is asked for, then the card gets the contact object type id', async () => {
    const res = await request(emulator.url).get('/_emulator/ui/contacts/101');
    expect(res.status).toBe(200);
    expect(bootOf(res.text, 'switchboard_ai_state_card')).toMatchObject({ context: { crm: { objectId: 101, objectTypeId: '0-1' }, user: { id: 1000001 } } });
  }, 60_000);

  it('when the help desk location is asked for, then the page carries the help desk card with that location', async () => {
    const res = await request(emulator.url).get('/_emulator/ui/tickets/1001?location=helpdesk.sidebar');
    expect(res.status).toBe(200);
    expect(bootOf(res.text, 'switchboard_helpdesk_ai_card')).toMatchObject({ location: 'helpdesk.sidebar', context: { location: 'helpdesk.sidebar', crm: { objectId: 1001, objectTypeId: '0-5' } } });
    expect(res.text).not.toContain('boot-switchboard_ai_state_card');
  }, 60_000);

  it('when the input is bad, then it answers 4xx: a page for a browser, the error JSON otherwise', async () => {
    const cases: [string, number, string][] = [
      ['/_emulator/ui/tickets/abc', 400, 'invalid_params'],
      ['/_emulator/ui/tickets/999999', 404, 'not_found'],
      ['/_emulator/ui/deals/1', 404, 'not_found'],
      ['/_emulator/ui/tickets/1001?portalId=x', 400, 'invalid_params'],
      ['/_emulator/ui/tickets/1001?portalId=424242', 404, 'not_found'],
      ['/_emulator/ui/tickets/1001?location=crm.record.tab', 400, 'invalid_params'],
      ['/_emulator/ui/settings?userId=5', 404, 'not_found'],
      ['/_emulator/ui/assets/ext/nope.js', 404, 'not_found'],
    ];
    for (const [path, status, code] of cases) {
      const json = await request(emulator.url).get(path).set('Accept', 'application/json');
      expect([path, json.status, json.body]).toStrictEqual([path, status, { error: { code, message: expect.any(String) } }]);
      const html = await request(emulator.url).get(path).set('Accept', 'text/html');
      expect([path, html.status, html.headers['content-type']]).toStrictEqual([path, status, expect.stringContaining('text/html')]);
    }
  });
});

describe('GET /_emulator/ui', () => {
  it('when asked, then it links the portal\'s tickets, contacts and settings page for the viewer', async () => {
    const res = await request(emulator.url).get('/_emulator/ui');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/_emulator/ui/tickets/1002?portalId=62515&amp;userId=1000001">Cannot log in</a>');
    expect(res.text).toContain('href="/_emulator/ui/contacts/101?portalId=62515&amp;userId=1000001">Jane Doe</a>');
    expect(res.text).toContain('href="/_emulator/ui/settings?portalId=62515&amp;userId=1000001"');
  });
});

describe('GET /_emulator/ui/settings', () => {
  it('when asked, then the page carries the settings context', async () => {
    const res = await request(emulator.url).get('/_emulator/ui/settings?portalId=62515');
    expect(res.status).toBe(200);
    expect(bootOf(res.text, 'switchboard_settings')).toMatchObject({ location: 'settings', context: { location: 'settings', portal: { id: 62515 }, user: { id: 1000001, permissions: ['integrations-management-write'] } } });
  }, 60_000);
});

describe('POST /_emulator/ui/fetch', () => {
  const viewer = { portalId: 62515, userId: 1000001, userEmail: 'ada.admin@switchboard-demo.example.com' };

  it('when the card fetches its backend, then the request arrives signed and the page gets the response', async () => {
    const res = await request(emulator.url).post('/_emulator/ui/fetch').send({ url: `${backend.url}/hubspot/ui/records/tickets/1001`, method: 'GET', ...viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'response', status: 200, body: { connection: { status: 'connected' } } });
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]?.headers['x-hubspot-signature-v3']).toEqual(expect.any(String));
  });

  it('when no response arrives (origin not permitted), then the outcome is a failure and nothing is sent', async () => {
    const res = await request(emulator.url).post('/_emulator/ui/fetch').send({ url: 'https://evil.example/x', ...viewer });
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ outcome: 'failed', error: { code: 'fetch_not_permitted', message: expect.any(String) } });
    expect(backend.requests).toHaveLength(0);
  });

  it('when the bridge input is bad (no viewer, a header other than Authorization, broken JSON), then it answers 400 with the error JSON', async () => {
    const header = await request(emulator.url).post('/_emulator/ui/fetch').send({ url: `${backend.url}/x`, headers: { 'X-Custom': '1' }, ...viewer });
    expect(header.status).toBe(400);
    expect(header.body).toMatchObject({ error: { code: 'invalid_body' } });
    const missing = await request(emulator.url).post('/_emulator/ui/fetch').send({ url: `${backend.url}/x` });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'invalid_body' } });
    const broken = await request(emulator.url).post('/_emulator/ui/fetch').set('Content-Type', 'application/json').send('{');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { code: 'invalid_body' } });
  });
});
