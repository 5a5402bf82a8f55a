// The connection page: toast, notices, the integration card, the legacy Private App form, settings and
// the troubleshooting panel, in one server-rendered document. Styles and the small script are static
// files (`/connect-assets/*`), so the CSP allows no inline code at all.
import type { Branding } from '../../config-branding.js';
import { ASSET_PATHS, BRAND_CSS_PATH } from './connect-page.assets.js';
import type { ConnectPageModel, ConnectPageNotice } from './connect-page.service.js';
import { renderHelpdesk } from './helpdesk.view.js';
import { cardStateOf, renderIntegrationCard } from './integration-card.view.js';
import { renderTroubleshooting } from './troubleshooting.view.js';
import { escapeHtml, formOpen, installUrl, pageUrl, timeHtml, type FormContext } from './view-helpers.js';

/** A form that failed, shown again next to that form with the reason. */
export interface FormError {
  form: 'private_app' | 'settings' | 'disconnect' | 'pending' | 'helpdesk';
  message: string;
  details: string[];
  /** The Private App token belongs to another portal: offer the switch explicitly. */
  askPortalChange: boolean;
}

/** Input of {@link renderConnectPage}. */
export interface ConnectPageView {
  model: ConnectPageModel;
  form: FormContext;
  formError?: FormError;
  brand: Branding;
}

const toastText = (product: string): Record<ConnectPageNotice, [string, string]> => ({
  connected: ['HubSpot connected', 'The integration card now shows Connected.'],
  disconnected: ['HubSpot disconnected', `${product} no longer calls HubSpot for this organization.`],
  settings_saved: ['Settings saved', 'The change applies to the next HubSpot event.'],
  private_app_saved: ['Private App token saved', 'HubSpot accepted the token.'],
  rolled_back: ['Rolled back to the Private App token', 'The HubSpot app grant was revoked.'],
  portal_kept: ['Portal kept', 'The other portal\'s approval was discarded.'],
  helpdesk_connected: ['Help desk channel connected', 'New AI conversations appear in the chosen inbox.'],
});

/** The page title for an organization. */
export function connectPageTitle(organizationName: string): string {
  return `HubSpot integration – ${organizationName}`;
}

/**
 * The whole HTML document of the connection page. Every value is escaped; the link token appears only
 * in same-origin URLs (form actions, the install link).
 */
export function renderConnectPage(view: ConnectPageView): string {
  const { model, form, brand } = view;
  const product = brand.productName;
  const support = brand.supportUrl ? ` Need help? <a href="${escapeHtml(brand.supportUrl)}" rel="noopener">Contact ${escapeHtml(product)} support</a>.` : '';
  const body = [
    renderToast(model.notice, product),
    '<main id="main" tabindex="-1">',
    `<header class="page-head"><p class="eyebrow">Integrations</p><h1>HubSpot integration</h1><p class="org">for <strong>${escapeHtml(model.organizationName)}</strong></p></header>`,
    view.formError && view.formError.form !== 'private_app' && view.formError.form !== 'helpdesk' ? renderFormError(view.formError) : '',
    renderEmulatorReset(model, form),
    renderPending(model, form, product),
    renderActionRecommended(model, form),
    renderIntegrationCard({ status: model.status, organizationName: model.organizationName, form, productName: product }),
    renderHelpdesk(model.helpdesk, form, view.formError?.form === 'helpdesk' ? view.formError : undefined),
    renderLegacy(model, form, view.formError?.form === 'private_app' ? view.formError : undefined),
    renderSettings(model, form),
    renderTroubleshooting(model.troubleshooting, product),
    `<footer class="page-foot"><p>Anyone with this page's link can manage ${escapeHtml(model.organizationName)}'s HubSpot connection: do not share it. The link expires on ${timeHtml(model.linkExpiresAt)}.${support}</p></footer>`,
    '</main>',
  ];
  return renderDocument(connectPageTitle(model.organizationName), body.filter(Boolean).join('\n'), brand);
}

function renderDocument(title: string, body: string, brand: Branding): string {
  const logo = brand.logoUrl ? `<img class="brand-logo" src="${escapeHtml(brand.logoUrl)}" alt="" width="24" height="24"> ` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${ASSET_PATHS.css}">
<link rel="stylesheet" href="${BRAND_CSS_PATH}">
<link rel="icon" href="/favicon.ico">
<script src="${ASSET_PATHS.js}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div class="topbar">${logo}<span class="brand">${escapeHtml(brand.productName)}</span></div>
${body}
</body>
</html>
`;
}

// The live region exists on every load, so assistive technology announces what the script puts in it;
// without the script the message is simply shown.
function renderToast(notice: ConnectPageNotice | undefined, product: string): string {
  if (!notice) return '<div class="toast-region" role="status" aria-live="polite" aria-atomic="true"></div>';
  const [title, text] = toastText(product)[notice];
  return `<div class="toast-region" role="status" aria-live="polite" aria-atomic="true"><div class="toast" data-notice="${notice}"><p class="toast-title">${escapeHtml(title)}</p><p>${escapeHtml(text)}</p></div></div>`;
}

function renderFormError(e: FormError): string {
  const details = e.details.length ? `<ul>${e.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : '';
  return `<div class="callout callout-err form-error" role="alert" tabindex="-1" data-form="${e.form}"><p><strong>${escapeHtml(e.message)}</strong></p>${details}</div>`;
}

function renderActionRecommended(model: ConnectPageModel, form: FormContext): string {
  if (cardStateOf(model.status) !== 'private_app') return '';
  return `<section class="banner" aria-labelledby="action-recommended-title">
<h2 id="action-recommended-title">Action recommended</h2>
<p>This organization still connects to HubSpot with a <strong>Private App token (legacy)</strong>. Migrate to the HubSpot app (OAuth): tokens refresh automatically, workflow actions become available, and the AI pauses as soon as an agent takes over. Conversations, ticket links and settings are kept.</p>
<p><a class="button button-primary" href="${escapeHtml(installUrl(form.linkToken))}">Migrate to OAuth</a></p>
</section>`;
}

// Local mode: the emulator lost the portal, install and tokens this connection relies on.
function renderEmulatorReset(model: ConnectPageModel, form: FormContext): string {
  if (!model.emulatorReset) return '';
  return `<section class="callout callout-err" role="alert" aria-labelledby="emulator-reset-title" data-notice="emulator_reset">
<h2 id="emulator-reset-title">The local HubSpot emulator was reset</h2>
<p>The HubSpot emulator this local setup uses was reset or lost its saved state on ${timeHtml(model.emulatorReset.since)}, after this organization connected. The HubSpot portal, app install and tokens this connection used no longer exist there, so owner changes, workflow actions and notes stop working even though the card below may still say Connected.</p>
<p>Reconnect to install the app again in the emulator's demo portal. Conversations and settings are kept.</p>
<p><a class="button button-primary" href="${escapeHtml(installUrl(form.linkToken))}">Reconnect with HubSpot</a></p>
</section>`;
}

function renderPending(model: ConnectPageModel, form: FormContext, product: string): string {
  const s = model.status;
  if (model.awaitingConfirmation) {
    const p = model.awaitingConfirmation;
    return `<section class="callout callout-warn" aria-labelledby="pending-title">
<h2 id="pending-title">Switch HubSpot portal?</h2>
<p>You approved HubSpot portal <strong>${escapeHtml(p.portalId)}</strong>${p.portalDomain ? ` (${escapeHtml(p.portalDomain)})` : ''}, but this organization is connected to portal <strong>${escapeHtml(s.portalId ?? '')}</strong> through a Private App. Switching portals means conversations and links from the old portal no longer match HubSpot records.</p>
<div class="actions">${formOpen(form, 'confirm')}<input type="hidden" name="pending" value="${escapeHtml(p.id)}"><button class="button button-primary" type="submit">Switch to portal ${escapeHtml(p.portalId)}</button></form>
${formOpen(form, 'cancel')}<input type="hidden" name="pending" value="${escapeHtml(p.id)}"><button class="button button-secondary" type="submit">Keep portal ${escapeHtml(s.portalId ?? '')}</button></form></div>
</section>`;
  }
  if (model.unclaimed) {
    // Everything about this install came through a callback anyone can send a browser to, so the page
    // says where each detail comes from and asks HubSpot, not this page, to confirm the portal.
    const u = model.unclaimed;
    return `<section class="callout callout-warn" aria-labelledby="claim-title">
<h2 id="claim-title">A HubSpot installation is waiting in this browser</h2>
<p>This browser was sent back from HubSpot after ${escapeHtml(product)} was installed in HubSpot portal <strong>${escapeHtml(u.portalId)}</strong>${
      u.portalDomain ? ` (domain as reported by HubSpot: <code>${escapeHtml(u.portalDomain)}</code>)` : ''
    }. ${escapeHtml(product)} has not checked who started that installation.</p>
<p>To connect that portal to ${escapeHtml(model.organizationName)}, confirm in HubSpot that you administer it. If you did not install ${escapeHtml(product)} from HubSpot yourself, ignore this: nothing is connected until HubSpot confirms.</p>
<p><a class="button button-primary" href="${escapeHtml(pageUrl(form.linkToken, 'claim'))}">Confirm portal ${escapeHtml(u.portalId)} in HubSpot</a></p>
</section>`;
  }
  return '';
}

// The legacy form: hidden entirely for OAuth-only organizations; for the others, a collapsed section
// whose wording follows the state (first connection, token replacement, or rollback from OAuth).
function renderLegacy(model: ConnectPageModel, form: FormContext, error: FormError | undefined): string {
  if (model.oauthOnly) return '';
  const s = model.status;
  const live = s.status === 'connected' || s.status === 'needs_reauth';
  const rollback = live && s.auth === 'oauth';
  const summary = rollback ? 'Roll back to a Private App token' : live && s.auth === 'private_app' ? 'Replace the Private App token' : 'Use a Private App token instead (legacy)';
  const intro = rollback
    ? 'Rolling back replaces the HubSpot app connection with a Private App token: the app grant is revoked, and workflow actions and the app card stop working. Use it only if the app connection causes problems.'
    : 'Create a Private App in HubSpot (Settings → Integrations → Private Apps) with the tickets, contacts, owners and conversations scopes, then paste its access token. The HubSpot app above is recommended instead.';
  const portalSwitch = error?.askPortalChange
    ? '<p class="check"><input type="checkbox" id="pat-switch" name="confirmPortalChange"> <label for="pat-switch">Yes, switch this organization to the token\'s HubSpot portal</label></p>'
    : '';
  return `<details class="card legacy" id="legacy"${error ? ' open' : ''}>
<summary><h2>${escapeHtml(summary)}</h2></summary>
<p class="muted">${escapeHtml(intro)}</p>
${error ? renderFormError(error) : ''}
${formOpen(form, 'private-app', 'autocomplete="off"')}
${rollback ? '<input type="hidden" name="confirmRollback" value="1">' : ''}
<p class="field"><label for="pat-token">Private App access token</label>
<input id="pat-token" name="token" type="password" required minlength="10" maxlength="500" spellcheck="false" autocomplete="off" aria-describedby="pat-hint"${error ? ' aria-invalid="true"' : ''}>
<span id="pat-hint" class="muted small">Checked with HubSpot, then stored encrypted. It is never shown again.</span></p>
${portalSwitch}
<button class="button ${rollback ? 'button-danger' : 'button-secondary'}" type="submit">${rollback ? 'Roll back to this token' : 'Save token'}</button>
</form>
</details>`;
}

function renderSettings(model: ConnectPageModel, form: FormContext): string {
  return `<section class="card" aria-labelledby="settings-title">
<h2 id="settings-title">Settings</h2>
${formOpen(form, 'settings')}
<p class="check"><input type="checkbox" id="pause-on-owner-change" name="pauseOnOwnerChange" aria-describedby="pause-hint"${model.settings.pauseOnOwnerChange ? ' checked' : ''}> <label for="pause-on-owner-change">Pause the AI when an agent takes over</label></p>
<p id="pause-hint" class="muted small">When someone in HubSpot becomes the owner of a linked ticket, or is assigned a linked inbox conversation, the AI on that conversation pauses at once.</p>
<button class="button button-secondary" type="submit">Save settings</button>
</form>
</section>`;
}
