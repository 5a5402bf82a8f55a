// The preview's HTML: a plain HubSpot-like record page (properties left, activity middle, cards in the
// sidebar right), the settings page, and the index of records. Scripts and styles are files, the
// extension's context a JSON data block, so the pages work under the strict CSP below.
import type { CrmObject, Owner } from '../state.js';
import type { Viewer } from './context.js';

/** No inline script or style: the bundle, the stylesheet and the fetch bridge are same-origin files. */
export const PREVIEW_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Base path of every preview route. */
export const PREVIEW_BASE = '/_emulator/ui';

/** One extension slot on a page: built (with its bundle URL and boot data) or failed to build. */
export type ExtensionSlot =
  | { uid: string; title: string; appName: string; bundleUrl: string; boot: unknown }
  | { uid: string; title: string; appName: string; errors: string[] };

/** What the record page shows. */
export interface RecordPageView {
  viewer: Viewer;
  objectType: 'tickets' | 'contacts';
  record: CrmObject;
  owner: Owner | undefined;
  slots: ExtensionSlot[];
}

// In display order; properties without a label follow, by name.
const LABELS: Record<string, string> = {
  subject: 'Ticket name',
  hs_pipeline_stage: 'Ticket status',
  hs_ticket_priority: 'Priority',
  hubspot_owner_id: 'Owner',
  content: 'Ticket description',
  hs_pipeline: 'Pipeline',
  email: 'Email',
  firstname: 'First name',
  lastname: 'Last name',
  phone: 'Phone number',
  createdate: 'Create date',
  hs_lastmodifieddate: 'Last modified date',
  lastmodifieddate: 'Last modified date',
  hs_object_id: 'Record ID',
};

/**
 * Renders a record page.
 * @param view the viewer, record, owner and card slots
 * @returns the HTML document
 */
export function renderRecordPage(view: RecordPageView): string {
  const { record, owner, objectType } = view;
  const singular = objectType === 'tickets' ? 'ticket' : 'contact';
  const p = record.properties;
  const title = objectType === 'tickets' ? p.subject || `Ticket ${record.id}` : [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || `Contact ${record.id}`;
  const ownerName = owner ? `${owner.firstName} ${owner.lastName}`.trim() || owner.email : 'No owner';
  const properties = Object.keys(p)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => {
      const value = name === 'hubspot_owner_id' ? (owner ? `${ownerName} (${owner.id})` : p[name] || 'No owner') : p[name];
      return `<dt>${esc(LABELS[name] ?? name)}</dt><dd data-property="${esc(name)}">${esc(value || '—')}</dd>`;
    })
    .join('');
  const body = `<main class="pv-layout">
<aside class="pv-left" aria-label="About this ${singular}">
<a class="pv-back" href="${PREVIEW_BASE}?${viewerQuery(view.viewer)}">‹ All records</a>
<h1 class="pv-title">${esc(title)}</h1>
<p class="pv-subtitle">${objectType === 'tickets' ? 'Ticket' : 'Contact'} ${record.id} · Owner: <span data-testid="record-owner">${esc(ownerName)}</span></p>
<section class="pv-section"><h2 class="pv-section__title">About this ${singular}</h2><dl class="pv-props">${properties}</dl></section>
</aside>
<section class="pv-middle" aria-label="Activity">
<div class="pv-tabs"><span class="pv-tab pv-tab--active">Overview</span><span class="pv-tab">Activities</span></div>
<div class="pv-timeline">The emulator keeps no activity timeline. The app cards for this ${singular} are in the sidebar on the right.</div>
</section>
<aside class="pv-right" aria-label="Sidebar">
${view.slots.length === 0 ? `<div class="pv-card"><div class="pv-card__body">No app card of this project is configured for ${esc(objectType)} in this sidebar.</div></div>` : view.slots.map(cardSlot).join('\n')}
</aside>
</main>`;
  return document(`${title} · ${singular} ${record.id}`, view.viewer, body, view.slots);
}

/**
 * Renders the settings page (Connected apps → the app → Settings).
 * @param viewer portal and user
 * @param appName the app's name
 * @param slot the settings extension, or undefined when the project has none
 * @returns the HTML document
 */
export function renderSettingsPage(viewer: Viewer, appName: string, slot: ExtensionSlot | undefined): string {
  const body = `<main class="pv-layout--settings">
<a class="pv-back" href="${PREVIEW_BASE}?${viewerQuery(viewer)}">‹ All records</a>
<div class="pv-settings-header"><h1>${esc(appName)}</h1><span class="pv-subtitle">Connected apps</span></div>
<nav class="pv-settings-tabs" aria-label="App tabs"><span class="pv-tab pv-tab--active">Settings</span></nav>
<section class="pv-settings-body" aria-label="Settings">${slot ? slotBody(slot) : 'This project has no settings page.'}</section>
${slot ? bootBlock(slot) : ''}
</main>`;
  return document(`${appName} settings`, viewer, body, slot ? [slot] : []);
}

/**
 * Renders the index: the portal's tickets and contacts, and the settings page, as preview links.
 * @param viewer portal and user
 * @param records the portal's tickets and contacts
 * @returns the HTML document
 */
export function renderIndexPage(viewer: Viewer, records: { type: 'tickets' | 'contacts'; object: CrmObject }[]): string {
  const q = viewerQuery(viewer);
  const list = (type: 'tickets' | 'contacts') =>
    records
      .filter((r) => r.type === type)
      .map(({ object }) => {
        const p = object.properties;
        const name = type === 'tickets' ? p.subject : [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email;
        return `<li><a href="${PREVIEW_BASE}/${type}/${object.id}?${q}">${esc(name || `${type} ${object.id}`)}</a> <span class="pv-subtitle">(${object.id})</span></li>`;
      })
      .join('') || '<li>None.</li>';
  const body = `<main class="pv-layout--settings"><div class="pv-settings-body">
<h1 class="pv-title">Preview of the project's UI extensions</h1>
<p><a href="${PREVIEW_BASE}/settings?${q}">Settings page</a></p>
<h2 class="pv-section__title">Tickets</h2><ul>${list('tickets')}</ul>
<h2 class="pv-section__title">Contacts</h2><ul>${list('contacts')}</ul>
</div></main>`;
  return document('UI extensions preview', viewer, body, []);
}

/**
 * Renders an error page (unknown record, bad query).
 * @param title short problem name
 * @param message explanation
 * @returns the HTML document
 */
export function renderErrorPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><link rel="stylesheet" href="${PREVIEW_BASE}/assets/preview.css"></head>
<body><main class="pv-layout--settings"><div class="pv-settings-body"><h1 class="pv-title">${esc(title)}</h1><p>${esc(message)}</p></div></main></body></html>`;
}

function rank(property: string): number {
  const at = Object.keys(LABELS).indexOf(property);
  return at === -1 ? Number.MAX_SAFE_INTEGER : at;
}

function cardSlot(slot: ExtensionSlot): string {
  return `<section class="pv-card" aria-labelledby="title-${esc(slot.uid)}">
<header class="pv-card__header"><span class="pv-card__chevron" aria-hidden="true">▼</span><span id="title-${esc(slot.uid)}">${esc(slot.title)}</span><span class="pv-card__app">${esc(slot.appName)}</span></header>
<div class="pv-card__body">${slotBody(slot)}</div>
${bootBlock(slot)}
</section>`;
}

function slotBody(slot: ExtensionSlot): string {
  if ('errors' in slot) {
    return `<div class="hs-not-available" role="alert" data-testid="preview-build-failed"><strong>${esc(slot.title)}</strong> did not build:<pre>${esc(slot.errors.join('\n'))}</pre></div>`;
  }
  return `<div data-extension-uid="${esc(slot.uid)}"><p class="hs-text hs-text--microcopy">Loading…</p></div>`;
}

function bootBlock(slot: ExtensionSlot): string {
  // `<` is escaped so no value can end the data block early.
  return 'boot' in slot ? `<script type="application/json" id="boot-${esc(slot.uid)}">${JSON.stringify(slot.boot).replace(/</g, '\\u003c')}</script>` : '';
}

function document(title: string, viewer: Viewer, body: string, slots: ExtensionSlot[]): string {
  const scripts = slots.flatMap((slot) => ('bundleUrl' in slot ? [`<script src="${esc(slot.bundleUrl)}" defer></script>`] : [])).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · HubSpot emulator</title>
<link rel="stylesheet" href="${PREVIEW_BASE}/assets/preview.css">
${scripts}
</head>
<body>
<header class="pv-nav"><span class="pv-nav__brand">HubSpot emulator</span><span>${esc(viewer.portal.name)} (Hub ID ${viewer.portal.id})</span><span class="pv-nav__note">Preview of this project's UI extensions · signed in as ${esc(`${viewer.user.firstName} ${viewer.user.lastName}`.trim() || viewer.user.email)}</span></header>
<div id="hs-page-alerts" role="region" aria-label="Alerts"></div>
${body}
</body>
</html>`;
}

function viewerQuery(viewer: Viewer): string {
  return `portalId=${viewer.portal.id}&amp;userId=${viewer.user.id}`;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
