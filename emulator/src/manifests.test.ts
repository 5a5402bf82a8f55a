import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectManifests, resolveVariables } from './manifests.js';

const SRC_DIR = path.resolve(process.cwd(), 'src');

describe('loadProjectManifests on the real src/app', () => {
  it('when loaded with profile local, then every ${BACKEND_URL} is the local backend', () => {
    const m = loadProjectManifests({ srcDir: SRC_DIR, profile: 'local' });
    expect(m.app.uid).toBe('switchboard_app');
    expect(m.app.requiredScopes).toContain('tickets');
    expect(m.app.optionalScopes).toContain('conversations.write');
    expect(m.app.redirectUrls).toEqual(['http://localhost:3000/oauth/callback']);
    expect(m.app.permittedFetch).toEqual(['http://localhost:3000']);
    expect(m.webhooks).toMatchObject({ targetUrl: 'http://localhost:3000/hubspot/webhooks', maxConcurrentRequests: 10 });
    expect(m.webhooks?.subscriptions).toContainEqual({ subscriptionType: 'ticket.propertyChange', propertyName: 'hubspot_owner_id', active: true });
    expect(m.webhooks?.subscriptions).toContainEqual({ subscriptionType: 'conversation.newMessage', active: true });
    expect(m.workflowActions.map((a) => a.uid).sort()).toEqual([
      'switchboard_pause_ai',
      'switchboard_request_handoff',
      'switchboard_resume_ai',
      'switchboard_send_to_ai',
    ]);
    const handoff = m.workflowActions.find((a) => a.uid === 'switchboard_request_handoff');
    expect(handoff?.actionUrl).toBe('http://localhost:3000/hubspot/actions/request-handoff');
    expect(handoff?.inputFields.find((f) => f.typeDefinition.name === 'team')?.typeDefinition.optionsUrl).toBe(
      'http://localhost:3000/hubspot/actions/options/team',
    );
    expect(handoff?.objectRequestOptions.properties).toContain('hubspot_owner_id');
    expect(handoff?.executionRules[0]).toStrictEqual({ labelName: 'notConnected', conditions: { error_code: 'NOT_CONNECTED' } });
    expect(handoff?.labels.en?.executionRules?.noConversation).toBe('No AI conversation is linked to this record.');
  });

  it('when a backendUrl is given, then it replaces ${BACKEND_URL} (trailing slash dropped)', () => {
    const m = loadProjectManifests({ srcDir: SRC_DIR, profile: 'local', backendUrl: 'http://127.0.0.1:45678/' });
    expect(m.webhooks?.targetUrl).toBe('http://127.0.0.1:45678/hubspot/webhooks');
    expect(m.app.redirectUrls).toEqual(['http://127.0.0.1:45678/oauth/callback']);
    expect(m.workflowActions.every((a) => a.actionUrl.startsWith('http://127.0.0.1:45678/hubspot/actions/'))).toBe(true);
  });

  it('when the production profile is chosen, then its values are used', () => {
    const m = loadProjectManifests({ srcDir: SRC_DIR, profile: 'production' });
    expect(m.webhooks?.targetUrl).toBe('https://switchboard.example.com/hubspot/webhooks');
  });

  it('when the profile does not exist, then it throws', () => {
    expect(() => loadProjectManifests({ srcDir: SRC_DIR, profile: 'nope' })).toThrow('profile "nope" not found');
  });
});

describe('loadProjectManifests on a scratch project', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a value is exactly "${var}", then it keeps the variable type; nested hsmeta files are ignored', () => {
    mkdirSync(path.join(dir, 'app', 'webhooks', 'nested'), { recursive: true });
    writeFileSync(path.join(dir, 'hsprofile.local.json'), JSON.stringify({ accountId: 1, variables: { MAX: 7, ON: true, URL: 'https://h.example' } }));
    writeFileSync(path.join(dir, 'app', 'app-hsmeta.json'), JSON.stringify({ uid: 'a', type: 'app', config: { auth: { requiredScopes: ['oauth'] } } }));
    writeFileSync(
      path.join(dir, 'app', 'webhooks', 'hooks-hsmeta.json'),
      JSON.stringify({
        uid: 'w',
        type: 'webhooks',
        config: {
          settings: { targetUrl: '${URL}/hooks', maxConcurrentRequests: '${MAX}' },
          subscriptions: { crmObjects: [{ subscriptionType: 'object.creation', objectType: 'CONTACT', active: '${ON}' }] },
        },
      }),
    );
    writeFileSync(path.join(dir, 'app', 'webhooks', 'nested', 'other-hsmeta.json'), '{ broken');
    const m = loadProjectManifests({ srcDir: dir });
    expect(m.webhooks).toStrictEqual({
      targetUrl: 'https://h.example/hooks',
      maxConcurrentRequests: 7,
      subscriptions: [{ subscriptionType: 'object.creation', objectType: 'contact', active: true }],
    });
    expect(m.workflowActions).toEqual([]);
  });

  it('when a used URL keeps an unknown variable, then it throws', () => {
    writeFileSync(
      path.join(dir, 'app', 'webhooks', 'hooks-hsmeta.json'),
      JSON.stringify({ uid: 'w', type: 'webhooks', config: { settings: { targetUrl: '${NOPE}/hooks', maxConcurrentRequests: 5 } } }),
    );
    expect(() => loadProjectManifests({ srcDir: dir })).toThrow('unresolved profile variable');
  });
});

describe('resolveVariables', () => {
  it('when a variable is embedded, then the result is a string; unknown names stay', () => {
    expect(resolveVariables({ a: ['x-${N}', '${N}', '${M}'] }, { N: 3 })).toStrictEqual({ a: ['x-3', 3, '${M}'] });
  });
});
