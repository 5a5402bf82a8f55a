// The emulator's help desk page, as an agent sees it: the portal's threads, the chosen thread's
// messages in order, and forms to reply, assign and close as an agent, plus HubSpot's "connect
// channel" button for the app's custom channels. Plain HTML forms, no scripts, every value escaped.
import { esc, htmlDocument } from '../http/html.js';
import type { User } from '../state/types.js';
import type { Inbox } from './channels.js';
import type { InboxThread } from './inbox.js';
import type { Channel } from './types.js';

/** What the page shows. */
export interface InboxView {
  portalId: number;
  threads: InboxThread[];
  selected: InboxThread | undefined;
  users: User[];
  channels: Channel[];
  inboxes: Inbox[];
  /** A refused action, shown above the thread. */
  error?: string;
}

const style = `body{font-family:system-ui,sans-serif;margin:0;background:#f5f8fa;color:#33475b}
header{background:#2d3e50;color:#fff;padding:.75rem 1.5rem}header h1{margin:0;font-size:1.25rem}
.layout{display:flex;gap:1rem;padding:1rem}nav{width:18rem}section.thread{flex:1}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:8px;padding:1rem;margin-bottom:1rem}
nav ul{list-style:none;padding:0;margin:0}nav li{margin:.25rem 0}nav a{color:#0091ae}nav a[aria-current]{font-weight:bold}
ol.messages{list-style:none;padding:0}ol.messages li{border-radius:8px;padding:.5rem .75rem;margin:.5rem 0;max-width:80%}
li.INCOMING{background:#eaf0f6}li.OUTGOING{background:#e5f5f8;margin-left:auto}li.COMMENT{background:#fef8f0;border:1px dashed #dbae60}
.meta{font-size:.8rem;color:#516f90}form{margin:.5rem 0;display:flex;gap:.5rem;flex-wrap:wrap;align-items:flex-end}
textarea{width:100%;min-height:4rem}button{padding:.4rem 1rem;border-radius:4px;border:1px solid #425b76;cursor:pointer}
[role=alert]{background:#fde8e9;border:1px solid #f2545b;padding:.5rem 1rem;border-radius:4px}`;

/** Renders the page. */
export function renderInboxPage(view: InboxView): string {
  const userName = (id: number | null) => {
    const user = view.users.find((u) => u.id === id);
    return user ? `${user.firstName} ${user.lastName}`.trim() || user.email : id === null ? 'Unassigned' : `user ${id}`;
  };
  const link = (t: InboxThread) =>
    `<li><a href="?portalId=${view.portalId}&amp;threadId=${t.id}"${t.id === view.selected?.id ? ' aria-current="page"' : ''}>Thread ${t.id}</a> <span class="meta">${esc(t.status)} · ${esc(userName(t.assignee))} · ${t.messages.length} messages</span></li>`;
  const nav = `<nav aria-label="Threads"><div class="card"><h2>Threads</h2>${view.threads.length === 0 ? '<p>No threads yet.</p>' : `<ul>${view.threads.map(link).join('')}</ul>`}</div>${channelsCard(view)}</nav>`;
  return htmlDocument(
    `Help desk — portal ${view.portalId}`,
    style,
    `<header><h1>Help desk — portal ${view.portalId}</h1></header>
<div class="layout">${nav}<section class="thread" aria-label="Thread">${view.error ? `<div role="alert">${esc(view.error)}</div>` : ''}${view.selected ? threadCard(view, view.selected, userName) : '<div class="card"><p>Choose a thread.</p></div>'}</section></div>`,
  );
}

function threadCard(view: InboxView, t: InboxThread, userName: (id: number | null) => string): string {
  const hidden = `<input type="hidden" name="portalId" value="${view.portalId}"><input type="hidden" name="threadId" value="${t.id}">`;
  const options = (selected: number | null) => view.users.map((u) => `<option value="${u.id}"${u.id === selected ? ' selected' : ''}>${esc(userName(u.id))}</option>`).join('');
  const messages = t.messages
    .map(
      (m) => `<li class="${m.type === 'COMMENT' ? 'COMMENT' : esc(m.direction)}" data-message-id="${esc(m.id)}"><div class="meta">${esc(m.sender.name ?? m.sender.actorId)} (${esc(m.sender.type.toLowerCase())})${m.type === 'COMMENT' ? ' · internal comment' : ''}${m.status ? ` · <span class="status">${esc(m.status)}</span>` : ''}</div><div class="text">${esc(m.text)}</div></li>`,
    )
    .join('');
  return `<div class="card"><h2>Thread ${t.id}</h2>
<p>Status: <strong id="thread-status">${esc(t.status)}</strong> · Assigned to: <strong id="thread-assignee">${esc(userName(t.assignee))}</strong> · Channel ${esc(t.channelId)}, account ${esc(t.channelAccountId)}</p>
<ol class="messages" aria-label="Messages">${messages}</ol>
<form method="post" action="/_emulator/ui/inbox/reply">${hidden}
<label>Reply as <select name="userId">${options(t.assignee)}</select></label>
<label style="flex-basis:100%">Reply text<textarea name="text" required maxlength="65536"></textarea></label>
<button type="submit">Send reply</button></form>
<form method="post" action="/_emulator/ui/inbox/assign">${hidden}
<label>Assignee <select name="userId"><option value="">Unassigned</option>${options(t.assignee)}</select></label>
<button type="submit">Assign</button></form>
<form method="post" action="/_emulator/ui/inbox/status">${hidden}
<input type="hidden" name="status" value="${t.status === 'OPEN' ? 'CLOSED' : 'OPEN'}">
<button type="submit">${t.status === 'OPEN' ? 'Close thread' : 'Reopen thread'}</button></form></div>`;
}

function channelsCard(view: InboxView): string {
  if (view.channels.length === 0) return '';
  const inboxes = view.inboxes.map((i) => `<option value="${esc(i.id)}">${esc(i.name)}</option>`).join('');
  const forms = view.channels
    .map(
      (c) => `<form method="post" action="/_emulator/ui/inbox/connect"><input type="hidden" name="portalId" value="${view.portalId}"><input type="hidden" name="channelId" value="${c.id}">
<span>${esc(c.name)}</span><label>Inbox <select name="inboxId">${inboxes}</select></label><button type="submit">Connect ${esc(c.name)}</button></form>`,
    )
    .join('');
  return `<div class="card"><h2>Custom channels</h2>${forms}</div>`;
}
