// The integration card: one state of the HubSpot connection, its facts and the action that fits.
//   Not connected / Disconnected → Connect with HubSpot
//   Connected (OAuth)            → facts, scopes, optional features; Reconnect, Disconnect
//   Needs reconnect              → the reason; Reconnect, Disconnect
//   Private App (legacy)         → Migrate to OAuth (the "Action recommended" banner sits above the card)
import { FEATURE_BY_OPTIONAL_SCOPE, OPTIONAL_SCOPES, type FeatureName } from '../../hubspot/scopes.js';
import type { ConnectionStatusView } from '../connections/connections.service.js';
import { chip, escapeHtml, formOpen, installUrl, timeHtml, type FormContext, type Tone } from './view-helpers.js';

/** The card's state, derived from the connection status. */
export type CardState = 'not_connected' | 'connected' | 'needs_reauth' | 'private_app' | 'disconnected';

/** Maps the status API's view to the card's state. */
export function cardStateOf(s: ConnectionStatusView): CardState {
  if (s.status === 'connected') return s.auth === 'private_app' ? 'private_app' : 'connected';
  return s.status;
}

const BADGE: Record<CardState, [string, Tone]> = {
  not_connected: ['Not connected', 'neutral'],
  connected: ['Connected', 'ok'],
  needs_reauth: ['Needs reconnect', 'err'],
  private_app: ['Private App (legacy)', 'warn'],
  disconnected: ['Disconnected', 'neutral'],
};

const SCOPE_TEXT: Record<string, string> = {
  oauth: 'Basic app access',
  tickets: 'Read tickets and add notes to them (your AI vendor may also update them)',
  'crm.objects.contacts.read': 'Read contacts',
  'crm.objects.contacts.write': 'Add notes to contacts; HubSpot creates contacts for new help-desk customers',
  'crm.objects.owners.read': 'See who owns a ticket',
  'conversations.read': 'Read inbox conversations: who holds a thread, whether it is closed, your inboxes',
  automation: 'Workflow actions',
  'crm.objects.companies.read': 'Read companies',
  'crm.objects.deals.read': 'Read deals',
  'conversations.write': 'Comment on help-desk threads when a handoff is requested (your AI vendor may also assign and reply)',
  'conversations.custom_channels.read': 'Help desk: read the AI channel',
  'conversations.custom_channels.write': 'Help desk: publish AI conversations into your inbox',
};

const FEATURE_TEXT: Record<FeatureName, string> = {
  companyContext: "Company context: the AI sees the contact's company",
  dealContext: "Deal context: the AI sees the contact's open deals",
  conversationHandoff: 'Inbox handoff: a handoff request leaves an internal comment on the help-desk thread with the reason and the team asked',
};

/** Input of {@link renderIntegrationCard}. */
export interface IntegrationCardInput {
  status: ConnectionStatusView;
  organizationName: string;
  form: FormContext;
  /** The vendor's product name (branding). */
  productName: string;
}

/** The integration card section. */
export function renderIntegrationCard({ status: s, organizationName, form, productName }: IntegrationCardInput): string {
  const state = cardStateOf(s);
  const [label, tone] = BADGE[state];
  const parts: string[] = [
    `<section class="card integration" aria-labelledby="integration-title" data-status="${escapeHtml(s.status)}" data-state="${state}">`,
    `<div class="card-head"><span class="app-icon" aria-hidden="true">${PLUG_ICON}</span><h2 id="integration-title">HubSpot</h2>${chip(label, tone)}</div>`,
    `<p class="lead">${escapeHtml(leadText(state, organizationName, productName))}</p>`,
  ];
  if (state === 'needs_reauth') {
    parts.push(
      `<div class="callout callout-err"><p><strong>HubSpot stopped accepting this connection.</strong> ${escapeHtml(s.lastError?.message ?? 'The app was uninstalled or its access was revoked.')}</p>${
        s.lastError ? `<p class="muted">Since ${timeHtml(s.lastError.at)}. Conversations are kept; nothing is sent to HubSpot until you reconnect.</p>` : ''
      }</div>`,
    );
  }
  if (state !== 'not_connected' && state !== 'disconnected') parts.push(renderFacts(s), renderAccess(s));
  parts.push(`<div class="actions">${primaryAction(state, form.linkToken)}</div>`);
  if (state !== 'not_connected' && state !== 'disconnected') parts.push(renderDisconnect(form, s, productName));
  parts.push('</section>');
  return parts.join('\n');
}

function leadText(state: CardState, org: string, product: string): string {
  switch (state) {
    case 'not_connected':
      return `Connect your HubSpot account so ${org} can see your tickets and contacts, pause the AI when one of your agents takes over, and add workflow actions to HubSpot.`;
    case 'disconnected':
      return `HubSpot was disconnected. Connect it again to resume the integration; your conversations and settings were kept.`;
    case 'connected':
      return `${org} is connected to HubSpot through the ${product} app. Tokens are refreshed automatically.`;
    case 'needs_reauth':
      return 'Reconnect HubSpot to restore the integration. Use an account that can install apps in the same HubSpot portal.';
    case 'private_app':
      return `${org} still uses a Private App access token. It keeps working, but workflow actions and faster agent takeover need the HubSpot app.`;
  }
}

function primaryAction(state: CardState, linkToken: string): string {
  const href = escapeHtml(installUrl(linkToken));
  switch (state) {
    case 'not_connected':
    case 'disconnected':
      return `<a class="button button-primary" href="${href}">Connect with HubSpot</a>`;
    case 'needs_reauth':
      return `<a class="button button-primary" href="${href}">Reconnect with HubSpot</a>`;
    case 'private_app':
      return `<a class="button button-primary" href="${href}">Migrate to OAuth</a>`;
    case 'connected':
      // Re-running the consent is how an admin grants optional scopes declined the first time.
      return `<a class="button button-secondary" href="${href}">Reconnect with HubSpot</a>`;
  }
}

function renderFacts(s: ConnectionStatusView): string {
  const rows: [string, string][] = [
    ['HubSpot portal', s.portalId !== null ? escapeHtml(s.portalId) : '—'],
    ['Portal domain', s.portalDomain ? escapeHtml(s.portalDomain) : '<span class="muted">Not known</span>'],
    ['Connection type', s.auth === 'private_app' ? 'Private App token (legacy)' : 'HubSpot app (OAuth)'],
    ['Connected by', s.connectedBy ? escapeHtml(s.connectedBy) : '<span class="muted">Not known</span>'],
    ['Connected since', timeHtml(s.connectedAt)],
    // The time the current tokens were issued: at connect, then at each refresh (the troubleshooting
    // table lists refreshes only, so "last refresh" here would contradict its "No token refresh yet").
    ['Current tokens issued', s.auth === 'private_app' ? '<span class="muted">Private App tokens do not refresh</span>' : timeHtml(s.lastRefreshAt, 'Not known')],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

function renderAccess(s: ConnectionStatusView): string {
  if (s.auth === 'private_app') {
    return '<p class="muted">HubSpot does not report a Private App\'s scopes. Optional features need the HubSpot app: migrate to OAuth to turn them on.</p>';
  }
  const scopes = s.scopes.length
    ? `<ul class="scopes">${s.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code> <span class="muted">${escapeHtml(SCOPE_TEXT[scope] ?? '')}${isOptional(scope) ? ' (optional)' : ''}</span></li>`).join('')}</ul>`
    : '<p class="muted">None reported.</p>';
  const granted = new Set(s.scopes);
  // The help-desk scopes have their own panel (helpdesk.view.ts), not a feature line here.
  const features = OPTIONAL_SCOPES.flatMap((scope) => {
    const name = FEATURE_BY_OPTIONAL_SCOPE[scope];
    if (!name) return [];
    const on = s.features[name];
    // Granted but off: the connection needs a reconnect, which turns it back on without a new approval.
    const why = on ? 'granted' : granted.has(scope) ? 'granted; off until HubSpot is reconnected' : 'not granted';
    return [`<li>${chip(on ? 'On' : 'Off', on ? 'ok' : 'neutral')} ${escapeHtml(FEATURE_TEXT[name])} <span class="muted" title="${escapeHtml(scope)}">(${why})</span></li>`];
  }).join('');
  return `<div class="access"><div><h3>Granted scopes</h3>${scopes}</div><div><h3>Optional features</h3><ul class="features">${features}</ul><p class="muted small">Optional scopes are granted when the installer approves them and the HubSpot account includes them. Reconnect to grant the ones that are off.</p></div></div>`;
}

const isOptional = (scope: string): boolean => (OPTIONAL_SCOPES as readonly string[]).includes(scope);

function renderDisconnect(form: FormContext, s: ConnectionStatusView, product: string): string {
  const uninstall =
    s.auth === 'oauth'
      ? `<p class="check"><input type="checkbox" id="disconnect-uninstall" name="uninstall"> <label for="disconnect-uninstall">Also uninstall the ${escapeHtml(product)} app from the HubSpot portal</label></p>`
      : '<p class="muted">The Private App token is forgotten here. Delete the Private App in HubSpot to revoke it there too.</p>';
  return `<details class="disconnect" id="disconnect">
<summary>Disconnect HubSpot…</summary>
${formOpen(form, 'disconnect', 'class="confirm-box"')}
<p><strong>Disconnect HubSpot from this organization?</strong> The AI stops pausing when your agents take over, workflow actions stop working and the app card shows "not connected". Conversations and settings are kept, and you can connect again later.</p>
${uninstall}
<button class="button button-danger" type="submit">Yes, disconnect HubSpot</button>
</form>
</details>`;
}

// A plug: decorative, so it carries no text (the heading names the integration).
const PLUG_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" focusable="false"><path fill="currentColor" d="M16 7V3h-2v4h-4V3H8v4H7a1 1 0 0 0-1 1v4a6 6 0 0 0 5 5.91V21h2v-3.09A6 6 0 0 0 18 12V8a1 1 0 0 0-1-1h-1z"/></svg>';
