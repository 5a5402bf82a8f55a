// The troubleshooting panel: the latest webhook deliveries, workflow executions and token refreshes,
// each with its outcome, so an admin can see what HubSpot sent and how Switchboard handled it.
import { REFUSED_AT_INTAKE, type InboxEntry } from '../webhooks/webhooks.service.js';
import type { ExecutionSummary } from '../workflow-actions/workflow-actions.service.js';
import type { TokenRefresh } from '../tokens/tokens.service.js';
import type { NoteWriteback } from '../conversations/conversations.service.js';
import type { Troubleshooting } from './connect-page.service.js';
import { chip, escapeHtml, timeHtml, type Tone } from './view-helpers.js';

/** The troubleshooting section. */
export function renderTroubleshooting(t: Troubleshooting): string {
  return `<section class="card" aria-labelledby="troubleshooting-title">
<h2 id="troubleshooting-title">Troubleshooting</h2>
<p class="muted">The latest activity between HubSpot and Switchboard for this organization, newest first.</p>
${table('webhooks', 'Last webhook deliveries', ['Received', 'Event', 'Record', 'Outcome'], t.webhookDeliveries.map(webhookRow), 'No webhook deliveries yet. They appear when records change in the connected portal.')}
${table('executions', 'Last workflow executions', ['Started', 'Action', 'Record', 'Outcome'], t.workflowExecutions.map(executionRow), 'No workflow action has run yet.')}
${table('refreshes', 'Token refreshes', ['When', 'Why', 'Outcome'], t.tokenRefreshes.map(refreshRow), 'No token refresh yet. OAuth tokens are refreshed before they expire, and at least once a day.')}
${table('notes', 'Notes to HubSpot needing attention', ['Since', 'Record', 'Status', 'Reason'], t.noteWritebacks.map(writebackRow), 'Every note about AI changes reached HubSpot.')}
</section>`;
}

function table(id: string, caption: string, headers: string[], rows: string[], empty: string): string {
  const titleId = `${id}-title`;
  if (rows.length === 0) return `<h3 id="${titleId}">${escapeHtml(caption)}</h3><p class="empty" data-table="${id}">${escapeHtml(empty)}</p>`;
  // The wrapper scrolls on narrow screens; it is focusable so keyboard users can scroll it too.
  return `<h3 id="${titleId}">${escapeHtml(caption)}</h3>
<div class="table-wrap" role="region" aria-labelledby="${titleId}" tabindex="0">
<table data-table="${id}"><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

const INBOX_TONE: Record<InboxEntry['status'], [string, Tone]> = {
  pending: ['Pending', 'neutral'],
  processed: ['Processed', 'ok'],
  ignored: ['Ignored', 'neutral'],
  unroutable: ['Not routed', 'warn'],
  dead: ['Failed', 'err'],
};

function webhookRow(e: InboxEntry): string {
  const [label, tone] = INBOX_TONE[e.status];
  // An event refused at intake may lack any of these: it shows what could be read.
  const type = e.subscriptionType ?? 'unreadable event';
  const event = e.propertyName ? `${type} (${e.propertyName})` : type;
  const detail = e.outcome === REFUSED_AT_INTAKE ? `${e.outcome}: ${e.lastError ?? ''}` : (e.lastError ?? e.outcome);
  return `<tr><td>${timeHtml(e.receivedAt)}</td><td><code>${escapeHtml(event)}</code></td><td>${escapeHtml(e.objectId ?? '')}</td><td>${chip(label, tone)}${
    detail ? ` <span class="muted">${escapeHtml(detail)}</span>` : ''
  }${e.attempts > 1 ? ` <span class="muted">(${escapeHtml(e.attempts)} attempts)</span>` : ''}</td></tr>`;
}

const ACTION_NAMES: Record<string, string> = { 'pause-ai': 'Pause AI', 'resume-ai': 'Resume AI', 'send-to-ai': 'Send to AI', 'request-handoff': 'Request handoff' };

function executionRow(x: ExecutionSummary): string {
  const state = x.executionState ?? 'RUNNING';
  const tone: Tone = state === 'SUCCESS' ? 'ok' : state === 'BLOCK' ? 'neutral' : 'err';
  const label = state === 'SUCCESS' ? 'Succeeded' : state === 'BLOCK' ? 'Waiting for the AI' : state === 'FAIL_CONTINUE' ? 'Failed' : state;
  return `<tr><td>${timeHtml(x.createdAt)}</td><td>${escapeHtml(ACTION_NAMES[x.actionName] ?? x.actionName)}${
    x.workflowId !== null ? ` <span class="muted">workflow ${escapeHtml(x.workflowId)}</span>` : ''
  }</td><td>${escapeHtml(x.objectType.toLowerCase())} ${escapeHtml(x.objectId)}</td><td>${chip(label, tone)}${x.errorCode ? ` <code>${escapeHtml(x.errorCode)}</code>` : ''}${
    x.completionError ? ` <span class="muted" data-completion-error>${escapeHtml(x.completionError)}</span>` : ''
  }</td></tr>`;
}

const TRIGGERS: Record<TokenRefresh['trigger'], string> = { due: 'Before expiry', rejected: 'HubSpot refused the token', scheduled: 'Daily check' };
const REFRESH_OUTCOME: Record<TokenRefresh['outcome'], [string, Tone]> = { refreshed: ['Refreshed', 'ok'], failed: ['Failed, will retry', 'warn'], refused: ['Refused', 'err'] };

function refreshRow(r: TokenRefresh): string {
  const [label, tone] = REFRESH_OUTCOME[r.outcome];
  return `<tr><td>${timeHtml(r.at)}</td><td>${escapeHtml(TRIGGERS[r.trigger])}</td><td>${chip(label, tone)}${r.detail ? ` <span class="muted">${escapeHtml(r.detail)}</span>` : ''}</td></tr>`;
}

// A note waits when HubSpot could not be called because of the connection (it goes out once after the
// reconnect); a failed one was refused for another reason, given here.
function writebackRow(w: NoteWriteback): string {
  const [label, tone]: [string, Tone] = w.status === 'waiting_connection' ? ['Waiting for reconnect', 'warn'] : ['Not written', 'err'];
  const records = [w.ticketId !== null ? `ticket ${w.ticketId}` : '', w.contactId !== null ? `contact ${w.contactId}` : ''].filter(Boolean).join(', ');
  return `<tr><td>${timeHtml(w.updatedAt)}</td><td>${escapeHtml(records || '—')}</td><td>${chip(label, tone)}</td><td>${w.lastError ? `<span class="muted">${escapeHtml(w.lastError)}</span>` : ''}</td></tr>`;
}
