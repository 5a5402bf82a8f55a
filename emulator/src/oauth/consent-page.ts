// The install consent page: account picker (when the URL names no hub id), required and optional
// scopes, Connect and Cancel. Plain accessible HTML with inline styles and no external resources, so
// it renders offline and under a strict Content-Security-Policy.
import { esc, htmlDocument } from '../http/html.js';
import type { AuthorizeRequest } from './authorize-request.js';
import type { Portal, User } from '../state.js';

/** Content-Security-Policy for both pages: nothing external, no scripts. */
export const pageCsp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/** What the consent page shows. */
export interface ConsentView {
  appName: string;
  request: AuthorizeRequest;
  /** Where the form posts (same path as the GET). */
  action: string;
  /** Accounts to pick from; a single fixed one when the URL had a hub id. */
  portals: { portal: Portal; installer: User | undefined }[];
  fixedPortal: boolean;
  requiredScopes: string[];
  optionalScopes: string[];
}

const style = `body{font-family:system-ui,sans-serif;margin:0;background:#f5f8fa;color:#33475b}
main{max-width:40rem;margin:2rem auto;background:#fff;border:1px solid #cbd6e2;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:1.5rem}fieldset{border:1px solid #cbd6e2;border-radius:4px}
.account{margin:.5rem 0}.actions{margin-top:1.5rem;display:flex;gap:1rem}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:4px;border:1px solid #425b76;cursor:pointer}
button[value=approve]{background:#ff7a59;border-color:#ff7a59;color:#fff}button:focus{outline:3px solid #0091ae;outline-offset:2px}`;

/**
 * Renders the consent page.
 * @param view what to show
 * @returns the HTML document
 */
export function renderConsentPage(view: ConsentView): string {
  const r = view.request;
  const hidden = [
    ['client_id', r.clientId],
    ['redirect_uri', r.redirectUri],
    ['scope', r.scopes.join(' ')],
    ['optional_scope', r.optionalScopes.join(' ')],
    ...(r.state !== undefined ? [['state', r.state]] : []),
  ]
    .map(([name, value]) => `<input type="hidden" name="${esc(name ?? '')}" value="${esc(value ?? '')}">`)
    .join('\n');
  const accounts = view.fixedPortal
    ? view.portals
        .map(({ portal, installer }) => `<p>Account: <strong>${esc(portal.name)}</strong> (Hub ID ${portal.id}, ${esc(portal.domain)})${installerNote(installer)}</p>
<input type="hidden" name="portal_id" value="${portal.id}">`)
        .join('\n')
    : `<fieldset>
<legend>Choose an account</legend>
${view.portals
  // With a single account to choose from, it is chosen already (as HubSpot's chooser does).
  .map(({ portal, installer }) => `<div class="account"><input type="radio" id="portal-${portal.id}" name="portal_id" value="${portal.id}" required${view.portals.length === 1 ? ' checked' : ''}>
<label for="portal-${portal.id}">${esc(portal.name)} (Hub ID ${portal.id}, ${esc(portal.domain)})${installerNote(installer)}</label></div>`)
  .join('\n')}
</fieldset>`;
  const list = (scopes: string[]) => (scopes.length === 0 ? '<p>None.</p>' : `<ul>${scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`);
  return page(
    `Connect ${view.appName} to HubSpot`,
    `<h1>Connect ${esc(view.appName)} to HubSpot</h1>
<p>${esc(view.appName)} is requesting access to your HubSpot account.</p>
<form method="post" action="${esc(view.action)}">
${hidden}
${accounts}
<section aria-labelledby="required-scopes"><h2 id="required-scopes">Required access</h2>${list(view.requiredScopes)}</section>
<section aria-labelledby="optional-scopes"><h2 id="optional-scopes">Optional access</h2>${list(view.optionalScopes)}</section>
<div class="actions">
<button type="submit" name="action" value="approve">Connect app</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}

/**
 * Renders the error page shown for an invalid install URL.
 * @param title short problem name
 * @param detail explanation
 * @returns the HTML document
 */
export function renderErrorPage(title: string, detail: string): string {
  return page(`Couldn't connect the app: ${title}`, `<h1>Couldn't connect the app</h1>
<div role="alert"><h2>${esc(title)}</h2><p>${esc(detail)}</p></div>`);
}

function installerNote(installer: User | undefined): string {
  return installer ? ` <small>as ${esc(installer.email)}</small>` : '';
}

function page(title: string, body: string): string {
  return htmlDocument(title, style, `<main>\n${body}\n</main>`);
}
