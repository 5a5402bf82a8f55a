import { escapeHtml } from '../../platform/http/html-page.js';
import type { ConnectPageModel } from './connect-page.service.js';

const STATUS_TEXT: Record<ConnectPageModel['status']['status'], string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  needs_reauth: 'Needs to be reconnected',
  disconnected: 'Disconnected',
};

/**
 * The body of the connection page: organization, status, and the one action that fits (connect,
 * claim, confirm a portal change). Every value is escaped; the link token only appears in URLs of
 * this same origin.
 */
export function renderConnectPage(model: ConnectPageModel, linkToken: string): string {
  const base = `/connect/${encodeURIComponent(linkToken)}`;
  const s = model.status;
  const parts: string[] = [`<h1>Connect HubSpot to ${escapeHtml(model.organizationName)}</h1>`];
  if (model.justConnected) parts.push('<div class="notice ok" role="status"><strong>HubSpot connected</strong></div>');
  if (s.status === 'needs_reauth') parts.push(`<div class="notice err"><p>HubSpot stopped accepting this connection${s.lastError ? `: ${escapeHtml(s.lastError.message)}` : ''}. Reconnect to restore it.</p></div>`);
  if (s.auth === 'private_app' && s.status === 'connected') parts.push('<div class="notice warn"><p><strong>Action recommended:</strong> this organization uses a legacy Private App token. Connect with HubSpot to migrate; your history and settings are kept.</p></div>');

  parts.push('<dl>');
  parts.push(`<dt>Status</dt><dd data-status="${escapeHtml(s.status)}">${escapeHtml(STATUS_TEXT[s.status])}</dd>`);
  if (s.portalId !== null) parts.push(`<dt>HubSpot portal</dt><dd>${escapeHtml(s.portalId)}${s.portalDomain ? ` (${escapeHtml(s.portalDomain)})` : ''}</dd>`);
  if (s.auth) parts.push(`<dt>Connection type</dt><dd>${s.auth === 'oauth' ? 'HubSpot app (OAuth)' : 'Private App token (legacy)'}</dd>`);
  if (s.connectedBy) parts.push(`<dt>Connected by</dt><dd>${escapeHtml(s.connectedBy)}</dd>`);
  parts.push('</dl>');

  if (model.awaitingConfirmation) {
    const p = model.awaitingConfirmation;
    parts.push(`<div class="notice warn"><p>You approved HubSpot portal <strong>${escapeHtml(p.portalId)}</strong>${p.portalDomain ? ` (${escapeHtml(p.portalDomain)})` : ''}, but this organization is connected to portal <strong>${escapeHtml(s.portalId ?? '')}</strong> through a Private App. Switching portals means conversations and links from the old portal no longer match HubSpot records.</p>
<form method="post" action="${base}/confirm"><input type="hidden" name="pending" value="${escapeHtml(p.id)}"><button class="button" type="submit">Switch to portal ${escapeHtml(p.portalId)}</button></form>
<form method="post" action="${base}/cancel"><input type="hidden" name="pending" value="${escapeHtml(p.id)}"><button class="button secondary" type="submit">Keep portal ${escapeHtml(s.portalId ?? '')}</button></form></div>`);
  } else if (model.unclaimed) {
    const u = model.unclaimed;
    parts.push(`<div class="notice warn"><p>Switchboard was installed from HubSpot in portal <strong>${escapeHtml(u.portalId)}</strong>${u.portalDomain ? ` (${escapeHtml(u.portalDomain)})` : ''}. Connect that portal to ${escapeHtml(model.organizationName)}?</p>
<form method="post" action="${base}/claim"><button class="button" type="submit">Connect portal ${escapeHtml(u.portalId)}</button></form></div>`);
  }
  if (!model.awaitingConfirmation && !model.unclaimed) {
    const label = s.status === 'connected' && s.auth === 'oauth' ? 'Reconnect with HubSpot' : 'Connect with HubSpot';
    parts.push(`<p><a class="button" href="/oauth/install?link=${encodeURIComponent(linkToken)}">${label}</a></p>`);
  }
  return parts.join('\n');
}
