// What an admin reads on the connection page: sentences that agree with each other, HubSpot codes kept
// in tooltips, and the vendor's branding (name, logo, accent colour, support link) on the page, the
// favicon and the notes written to HubSpot. The backend listens and the emulator runs the workflow
// actions, so executions and callbacks go the real way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectWithTokens } from '../../../../test/support/connect-with-tokens.js';
import { eventually } from '../../../../test/support/eventually.js';
import { startHubSpotStack, type HubSpotStack } from '../../../../test/support/hubspot-stack.js';
import type { ExecutionRecord } from '../../../../emulator/src/workflows/types.js';

let stack: HubSpotStack;
const LOGO = 'https://cdn.acme-ai.example/logo.png';

beforeAll(async () => {
  stack = await startHubSpotStack({
    emulator: { webhooks: false },
    env: { BRAND_PRODUCT_NAME: 'Acme AI', BRAND_LOGO_URL: LOGO, BRAND_ACCENT_COLOR: '#0F766E', BRAND_SUPPORT_URL: 'https://help.acme-ai.example/' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

let seq = 0;
/** A fresh portal with the app installed (the given scopes) and an organization connected to it. */
async function connected(scopes?: string[]) {
  seq += 1;
  const { portal } = await stack.hub.createPortal({ domain: `wording${seq}-${Date.now()}.example.com` });
  const tokens = await stack.hub.install(portal.id, scopes ? { scopes } : {});
  const org = await connectWithTokens(stack.backend.services, portal.id, tokens, `Wording Org ${seq}`);
  const auth = { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' };
  const link = (await (await fetch(`${stack.backendUrl}/api/v1/install-links`, { method: 'POST', headers: auth, body: '{}' })).json()) as { url: string };
  const token = new URL(link.url).pathname.split('/').pop()!;
  return { org, portalId: portal.id, auth, page: async () => fetch(`${stack.backendUrl}/connect/${token}`, { headers: { accept: 'text/html' } }) };
}

const execute = (portalId: number, actionUid: string, objectId: number, inputFields: Record<string, unknown> = {}, workflowId = 5_000_123) =>
  stack.hub.request<ExecutionRecord>('POST', '/_emulator/workflows/execute', { portalId, actionUid, objectType: 'TICKET', objectId, inputFields, workflowId });

const executionsTable = (html: string) => /data-table="executions">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';

describe('connection page wording', () => {
  it('when a Send to AI was answered by the AI and its callback completed, then the row says Succeeded, not Waiting for the AI, and the workflow id is only a tooltip', async () => {
    const c = await connected();
    const ticket = await stack.hub.createTicket(c.portalId, { properties: { subject: 'Refund', hs_pipeline_stage: '1' } });
    const conversation = (await (await fetch(`${stack.backendUrl}/api/v1/conversations`, { method: 'POST', headers: c.auth, body: JSON.stringify({ externalId: 'chat-w1', ticketId: ticket.id }) })).json()) as { id: string };
    const record = await execute(c.portalId, 'send-to-ai', ticket.id, { instructions: 'Refund it' });
    expect(record.state).toBe('BLOCKED');
    expect(executionsTable(await (await c.page()).text())).toContain('Waiting for the AI');

    await fetch(`${stack.backendUrl}/api/v1/conversations/${conversation.id}/ai-result`, { method: 'POST', headers: c.auth, body: JSON.stringify({ success: true }) });
    await eventually(async () => (await stack.hub.request<ExecutionRecord>('GET', `/_emulator/executions/${record.id}`)).state === 'SUCCESS');
    const table = await eventually(async () => {
      const t = executionsTable(await (await c.page()).text());
      return t.includes('Succeeded') ? t : undefined;
    });
    expect(table).not.toContain('Waiting for the AI');
    expect(table).toContain('Send to AI <span class="muted" title="HubSpot workflow ID 5000123">in a HubSpot workflow</span>');
    expect(table).not.toMatch(/>[^<]*workflow 5000123/);
  });

  it('when Pause AI finds no linked conversation, then the row explains it in a sentence and NO_CONVERSATION is only a tooltip', async () => {
    const c = await connected();
    const ticket = await stack.hub.createTicket(c.portalId, { properties: { subject: 'Unlinked', hs_pipeline_stage: '1' } });
    const record = await execute(c.portalId, 'pause-ai', ticket.id);
    expect(record.outputFields).toMatchObject({ hs_execution_state: 'FAIL_CONTINUE', error_code: 'NO_CONVERSATION' });
    const table = executionsTable(await (await c.page()).text());
    expect(table).toContain('<span class="muted" title="NO_CONVERSATION">No AI conversation is linked to this record.</span>');
    expect(table).not.toMatch(/>[^<]*NO_CONVERSATION/);
  });

  it('when an optional scope was granted but the connection needs a reconnect, then Optional features says so instead of "not granted"', async () => {
    const app = await stack.hub.request<{ requiredScopes: string[] }>('GET', '/_emulator/app');
    const c = await connected([...app.requiredScopes, 'conversations.write']);
    await stack.hub.revokePortalTokens(c.portalId);
    await expect(stack.backend.services.tokens.refreshIfOlderThan(c.org.id, 0)).rejects.toMatchObject({ code: 'reinstall_required' });
    const html = await (await c.page()).text();
    expect(html).toContain('data-status="needs_reauth"');
    expect(html).toMatch(/<code>conversations\.write<\/code> <span class="muted">Comment on help-desk threads when a handoff is requested \(your AI vendor may also assign and reply\) \(optional\)<\/span>/);
    expect(html).toMatch(/Inbox handoff[^<]*<span class="muted" title="conversations\.write">\(granted; off until HubSpot is reconnected\)<\/span>/);
    expect(html).toMatch(/Company context[^<]*<span class="muted" title="crm\.objects\.companies\.read">\(not granted\)<\/span>/);
  });

  it('when no token refresh happened yet, then the card and the troubleshooting table agree: tokens issued at connect, no refresh yet', async () => {
    const c = await connected();
    const html = await (await c.page()).text();
    expect(html).not.toContain('Last token refresh');
    expect(html).toMatch(/<dt>Current tokens issued<\/dt><dd><time datetime=/);
    expect(html).toContain('No token refresh yet: the current tokens are the ones issued when HubSpot was connected.');
  });
});

describe('branding from configuration', () => {
  it('when BRAND_* are set, then the page shows the name, logo and support link, allows only the logo origin for images, and the stylesheet carries the accent', async () => {
    const c = await connected();
    const res = await c.page();
    const html = await res.text();
    expect(html).toContain(`<div class="topbar"><img class="brand-logo" src="${LOGO}" alt="" width="24" height="24"> <span class="brand">Acme AI</span></div>`);
    expect(html).toContain('<a href="https://help.acme-ai.example/" rel="noopener">Contact Acme AI support</a>');
    expect(html).toContain('through the Acme AI app');
    expect(html).not.toMatch(/>[^<]*Switchboard/);
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' https://cdn.acme-ai.example;");
    const css = await (await fetch(`${stack.backendUrl}/connect-assets/brand.css`)).text();
    expect(css).toContain(':root{--accent:#0f766e;--accent-dark:#0c5e58}');
  });

  it('when a workflow pauses the AI, then the HubSpot note carries the product name and names the workflow in words', async () => {
    const c = await connected();
    const ticket = await stack.hub.createTicket(c.portalId, { properties: { subject: 'Noted', hs_pipeline_stage: '1' } });
    await fetch(`${stack.backendUrl}/api/v1/conversations`, { method: 'POST', headers: c.auth, body: JSON.stringify({ externalId: 'chat-note', ticketId: ticket.id }) });
    expect((await execute(c.portalId, 'pause-ai', ticket.id)).outputFields).toMatchObject({ hs_execution_state: 'SUCCESS' });
    const dump = await eventually(async () => {
      // The note is written by a job after the answer; wait for it.
      const d = await stack.hub.state();
      return (d.notes as { portalId: number; properties: Record<string, string> }[]).find((n) => n.portalId === c.portalId);
    });
    expect(dump!.properties.hs_note_body).toContain('<strong>Acme AI: AI paused</strong>');
    expect(dump!.properties.hs_note_body).toContain('by a HubSpot workflow (ID 5000123)');
    expect(dump!.properties.hs_note_body).not.toContain('workflow:5000123');
  });

  it('when a browser asks for /favicon.ico, then the backend answers an icon in the accent colour and the emulator answers 204 instead of its unknown-route 404', async () => {
    const res = await fetch(`${stack.backendUrl}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await res.text()).toContain('fill="#0f766e"');
    // Logged like any request (debug), never as a 404 warning.
    expect(stack.backend.logs.records().filter((r) => String(r.path).includes('favicon') && ((r.level as number) >= 40 || r.status === 404))).toStrictEqual([]);
    const emu = await fetch(`${stack.emulator.url}/favicon.ico`);
    expect(emu.status).toBe(204);
  });
});
