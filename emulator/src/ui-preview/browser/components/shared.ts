// Helpers shared by the preview's component implementations: the `testId` → `data-testid` mapping
// (so browser tests find a component by the same id HubSpot's test renderer uses), the event and
// reactions objects HubSpot hands to click handlers, and class-name joining.
import type { ExtensionEvent, HrefProp, Reactions } from '@hubspot/ui-extensions';

/**
 * The DOM attribute for a component's `testId`.
 * @param testId the component's testId prop
 * @returns `{ 'data-testid': testId }`, or nothing when unset
 */
export function testIdAttr(testId: string | undefined): { 'data-testid'?: string } {
  return testId === undefined ? {} : { 'data-testid': testId };
}

/**
 * Joins class names, skipping empty ones.
 * @param names class names, or false/undefined for none
 * @returns the `className` value
 */
export function cx(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

let eventCount = 0;

/**
 * The serialisable event HubSpot passes to `onClick` (its ExtensionEvent has these four fields).
 * @param event the DOM event
 * @returns the extension event
 */
export function extensionEvent(event: Event): ExtensionEvent {
  eventCount += 1;
  return { type: event.type, bubbles: event.bubbles, timeStamp: event.timeStamp, id: `preview-event-${eventCount}` };
}

/** Overlays (Modal, Panel) are not part of the preview: the reactions say so instead of failing silently. */
export const reactions: Reactions = {
  openPanel: (id) => console.warn(`Panels are not available in the preview (openPanel ${id})`),
  closePanel: (id) => console.warn(`Panels are not available in the preview (closePanel ${id})`),
  openModal: (id) => console.warn(`Modals are not available in the preview (openModal ${id})`),
  closeModal: (id) => console.warn(`Modals are not available in the preview (closeModal ${id})`),
};

/**
 * Reads HubSpot's `href` prop.
 * @param href a URL or `{ url, external }`
 * @returns the URL and whether it opens in a new tab
 */
export function hrefOf(href: HrefProp): { url: string; external: boolean } {
  return typeof href === 'string' ? { url: href, external: false } : { url: href.url, external: href.external === true };
}

/** HubSpot's t-shirt sizes have a long and a short spelling; the preview's CSS uses the short one. */
export function shortSize(size: string | undefined, fallback: string): string {
  const long: Record<string, string> = { 'extra-small': 'xs', small: 'sm', medium: 'md', large: 'lg', 'extra-large': 'xl' };
  if (size === undefined) return fallback;
  return long[size] ?? size;
}
