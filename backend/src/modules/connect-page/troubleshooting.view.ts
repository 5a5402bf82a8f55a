// The troubleshooting panel: the latest webhook deliveries, workflow executions and token refreshes,
// each with its outcome, so an admin can see what HubSpot sent and how it was handled. People read
// sentences: HubSpot ids and error codes stay in tooltips (and in the API).
import { DEFAULT_BRANDING } from '../../config-branding.js';
import { REFUSED_AT_INTAKE, type InboxEntry } from '../webhooks/webhooks.service.js';
import type { ExecutionSummary } from '../workflow-actions/workflow-actions.service.js';
import type { TokenRefresh } from '../tokens/tokens.service.js';
import type { NoteWriteback } from '../conversations/conversations.service.js';
import type { Troubleshooting } from './connect-page.service.js';
import { chip, escapeHtml, timeHtml, type Tone } from './view-helpers.js';

/** The troubleshooting section. */
export function renderTroubleshooting(t: Troubleshooting, product = DEFAULT_BRANDING.productName): string {
  return `<section class="card" aria-labelledby="troubleshooting-title">
<h2 id="troubleshooting-title">Troubleshooting</h2>
<p class="muted">The latest activity between HubSpot and ${escapeHtml(product)} for this organization, newest first.</p>
${table('webhooks', 'Last webhook deliveries', ['Received', 'Event', 'Record', 'Outcome'], t.webhookDeliveries.map(webhookRow), 'No webhook deliveries yet. They appear when records change in the connected portal.')}
${table('executions', 'Last workflow executions', ['Started', 'Action', 'Record', 'Outcome'], t.workflowExecutions.map(executionRow), 'No workflow action has run yet.')}
${table('refreshes', 'Token refreshes', ['When', 'Why', 'Outcome'], t.tokenRefreshes.map(refreshRow), 'No token refresh yet: the current tokens are the ones issued when HubSpot was connected. OAuth tokens are refreshed before they expire, and at least once a day.')}
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

/** What an execution's error code means, for the people reading the page. */
const ERROR_TEXT: Record<string, string> = {
  NO_CONVERSATION: 'No AI conversation is linked to this record.',
  INVALID_TRANSITION: 'The AI was in a state this action cannot change.',
  INVALID_INPUT: 'The action\'s settings in the workflow are not valid.',
  NOT_CONNECTED: 'HubSpot was not connected at the time.',
  MIGRATE_TO_OAUTH: 'Workflow actions need the HubSpot app: migrate from the Private App token.',
  NEEDS_REAUTH: 'HubSpot needed to be reconnected.',
  AI_FAILED: 'The AI reported that it could not handle the request.',
  AI_TIMEOUT: 'The AI did not answer in time.',
};

/** Label, tone and error code of an execution, following a Send to AI callback to its end. */
function executionOutcome(x: ExecutionSummary): [string, Tone, string | null] {
  const state = x.executionState;
  if (state === 'SUCCESS') return ['Succeeded', 'ok', null];
  if (state === 'FAIL_CONTINUE') return ['Failed', 'err', x.errorCode];
  if (state !== 'BLOCK') return ['Running', 'neutral', null];
  switch (x.callback?.status) {
    case 'completed':
      return x.callback.executionState === 'SUCCESS' ? ['Succeeded', 'ok', null] : ['Failed', 'err', x.callback.errorCode];
    case 'completing':
      return ['Sending the AI\'s answer to HubSpot', 'neutral', x.callback.errorCode];
    case 'expired':
      return ['HubSpot stopped waiting', 'err', null];
    case 'rejected':
      return ['HubSpot refused the answer', 'err', null];
    default:
      return ['Waiting for the AI', 'neutral', null];
  }
}

function executionRow(x: ExecutionSummary): string {
  const [label, tone, errorCode] = executionOutcome(x);
  const workflow = x.workflowId !== null ? ` <span class="muted" title="${escapeHtml(`HubSpot workflow ID ${x.workflowId}`)}">in a HubSpot workflow</span>` : '';
  const error = errorCode ? ` <span class="muted" title="${escapeHtml(errorCode)}">${escapeHtml(ERROR_TEXT[errorCode] ?? 'An error occurred.')}</span>` : '';
  return `<tr><td>${timeHtml(x.createdAt)}</td><td>${escapeHtml(ACTION_NAMES[x.actionName] ?? x.actionName)}${workflow}</td><td>${escapeHtml(x.objectType.toLowerCase())} ${escapeHtml(x.objectId)}</td><td>${chip(label, tone)}${error}${
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
