// The help-desk channel section of the connection page: where the organization stands with HubSpot's
// custom channel (https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide),
// the scopes it still needs (with a reconnect, and nothing is sent until then), the inbox picker that
// connects the channel, and the messages HubSpot did not accept for good.
import type { HelpdeskSection } from './connect-page.service.js';
import { chip, escapeHtml, formOpen, installUrl, type FormContext } from './view-helpers.js';

/** The help-desk section (its form error, if any, shown inside it). */
export function renderHelpdesk(section: HelpdeskSection, form: FormContext, error?: { message: string; details: string[] }): string {
  const s = section.status;
  return `<section class="card" id="helpdesk" aria-labelledby="helpdesk-title" data-helpdesk-state="${s.state}">
<h2 id="helpdesk-title">Help desk channel</h2>
<p class="muted">Mirrors the AI's conversations into a HubSpot inbox or help desk, where agents can read them, take over and reply.</p>
${error ? `<div class="callout callout-err form-error" role="alert" tabindex="-1" data-form="helpdesk"><p><strong>${escapeHtml(error.message)}</strong></p>${error.details.length ? `<ul>${error.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : ''}</div>` : ''}
${stateHtml(section, form)}
${failedHtml(s.failedMessages)}
</section>`;
}

function stateHtml(section: HelpdeskSection, form: FormContext): string {
  const s = section.status;
  switch (s.state) {
    case 'not_connected':
      return `<p>${chip('Not available', 'neutral')} Connect HubSpot above first.</p>`;
    case 'needs_scopes':
      return `<div class="callout callout-warn" data-notice="needs_scopes"><p>${chip('Needs these scopes', 'warn')} The HubSpot connection was approved without the scopes the help desk needs. Nothing is sent to the help desk until they are granted:</p>
<ul class="missing-scopes">${s.missingScopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>
<p><a class="button button-primary" href="${escapeHtml(installUrl(form.linkToken))}">Reconnect with HubSpot</a></p></div>`;
    case 'channel_not_registered':
      return `<p>${chip('Not set up', 'neutral')} The help-desk channel is not registered with HubSpot yet. The operator registers it once with <code>switchboard channel register</code>.</p>`;
    case 'ready_to_connect':
    case 'connected':
      return `${s.account ? `<p>${chip('Connected', 'ok')} Connected to inbox <strong>${escapeHtml(inboxName(section, s.account.inboxId))}</strong>.</p>` : `<p>${chip('Not connected', 'neutral')} Pick the inbox or help desk the AI's conversations go to.</p>`}
${pickerHtml(section, form)}`;
  }
}

function inboxName(section: HelpdeskSection, inboxId: string): string {
  return section.inboxes?.find((i) => i.id === inboxId)?.name ?? inboxId;
}

function pickerHtml(section: HelpdeskSection, form: FormContext): string {
  if (!section.inboxes) return `<p class="callout callout-err" role="alert">${escapeHtml(section.inboxesError ?? 'HubSpot did not list the inboxes.')}</p>`;
  if (section.inboxes.length === 0) return '<p class="empty">This HubSpot account has no inbox or help desk yet.</p>';
  const current = section.status.account?.inboxId;
  const options = section.inboxes.map((i) => `<option value="${escapeHtml(i.id)}"${i.id === current ? ' selected' : ''}>${escapeHtml(i.name)}</option>`).join('');
  return `${formOpen(form, 'helpdesk')}
<p class="field"><label for="helpdesk-inbox">Inbox or help desk</label>
<select id="helpdesk-inbox" name="inboxId" required>${options}</select></p>
<button class="button ${current ? 'button-secondary' : 'button-primary'}" type="submit">${current ? 'Move the channel to this inbox' : 'Connect the channel'}</button>
</form>`;
}

function failedHtml(failed: number): string {
  if (failed === 0) return '';
  const count = failed >= 100 ? '100 or more messages' : failed === 1 ? '1 message' : `${failed} messages`;
  return `<div class="callout callout-err" data-notice="publish_failed"><p>${chip('Publish failures', 'err')} ${escapeHtml(count)} could not be published to HubSpot after every retry. The vendor API lists them with their reason (<code>GET /api/v1/conversations/:id/messages</code>).</p></div>`;
}
