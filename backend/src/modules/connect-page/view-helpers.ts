// Small pieces shared by the connection page's views. Every value that reaches HTML goes through
// escapeHtml; the link token only ever appears in same-origin URLs built by pageUrl().
import { escapeHtml } from '../../platform/http/html-page.js';
import { CSRF_FIELD } from './csrf.js';

export { escapeHtml };

/** What a form posted on the page needs: where to post and the CSRF token bound to the link. */
export interface FormContext {
  linkToken: string;
  csrfToken: string;
}

/**
 * Same-origin URL of the page or one of its form actions.
 * @param linkToken the install-link token
 * @param action a form action (`disconnect`, `settings`, …) or nothing for the page itself
 * @returns the escaped-ready path (the token is URI-encoded)
 */
export function pageUrl(linkToken: string, action?: string): string {
  return `/connect/${encodeURIComponent(linkToken)}${action ? `/${action}` : ''}`;
}

/** URL that starts the OAuth install for the link (HubSpot's consent page follows). */
export function installUrl(linkToken: string): string {
  return `/oauth/install?link=${encodeURIComponent(linkToken)}`;
}

/** The hidden CSRF field every form carries. */
export function csrfInput(ctx: FormContext): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(ctx.csrfToken)}">`;
}

/** Opening tag of a POST form to one of the page's actions, with its CSRF field. */
export function formOpen(ctx: FormContext, action: string, attrs = ''): string {
  return `<form method="post" action="${escapeHtml(pageUrl(ctx.linkToken, action))}"${attrs ? ` ${attrs}` : ''}>${csrfInput(ctx)}`;
}

/**
 * A date as `24 Nov 2026, 10:03 UTC` inside `<time datetime>` (the page script shows it in local time).
 * @param date the instant, or null
 * @param empty text when there is none
 */
export function timeHtml(date: Date | null, empty = '—'): string {
  if (!date) return escapeHtml(empty);
  return `<time datetime="${date.toISOString()}">${escapeHtml(formatUtc(date))}</time>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `24 Nov 2026, 10:03 UTC`: fixed format, independent of the server's locale. */
export function formatUtc(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** Tone of a status chip: colour and icon come from the stylesheet. */
export type Tone = 'ok' | 'warn' | 'err' | 'neutral';

/** A small status chip with text (colour never carries the meaning alone). */
export function chip(text: string, tone: Tone): string {
  return `<span class="chip chip-${tone}">${escapeHtml(text)}</span>`;
}
