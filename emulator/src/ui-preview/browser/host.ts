// The host side of the SDK in the preview: what `hubspot.extend` registers, the extension API
// (context, actions) the page hands over, and `hubspot.fetch` through the emulator's signing proxy.
import type { ReactElement } from 'react';
import type { ExtensionPointApi, ExtensionPointLocation, HubSpotFetchOptions, HubSpotFetchRequestURI } from '@hubspot/ui-extensions';

/** The callback an entry file passes to `hubspot.extend`. */
export type RenderCallback = (api: ExtensionPointApi<ExtensionPointLocation>) => ReactElement;

/** What the page passes to an extension (one JSON block per extension). */
export interface PreviewBoot {
  uid: string;
  location: ExtensionPointLocation;
  context: ExtensionPointApi<ExtensionPointLocation>['context'];
  /** Where `hubspot.fetch` is sent (the emulator's bridge to its signing proxy). */
  fetchPath: string;
}

/** Thrown by SDK parts the preview does not implement; the error boundary names the part. */
export class NotInPreviewError extends Error {
  /** @param feature the SDK export or action that was used */
  constructor(readonly feature: string) {
    super(`${feature} is not available in the preview`);
    this.name = 'NotInPreviewError';
  }
}

let registered: RenderCallback | undefined;
let boot: PreviewBoot | undefined;
let api: ExtensionPointApi<ExtensionPointLocation> | undefined;

/**
 * `hubspot.extend`: remembers the render callback; the bundle's entry mounts it once the entry file ran.
 * @param render the extension's render callback
 */
export function extend(render: RenderCallback): void {
  registered = render;
}

/**
 * The callback the entry file registered.
 * @returns the callback, or undefined when the entry file never called `hubspot.extend`
 */
export function registeredExtension(): RenderCallback | undefined {
  return registered;
}

/**
 * Sets the page's data and builds the extension API from it (before the first render).
 * @param data the extension's boot block
 * @returns the API handed to the render callback and the hooks
 */
export function startHost(data: PreviewBoot): ExtensionPointApi<ExtensionPointLocation> {
  boot = data;
  api = { context: data.context, actions: createActions(), runServerlessFunction: () => Promise.reject(new NotInPreviewError('runServerlessFunction')) };
  return api;
}

/**
 * The API of the running extension, for the hooks.
 * @returns the API
 * @throws Error when called before the page started the host
 */
export function currentApi(): ExtensionPointApi<ExtensionPointLocation> {
  if (!api) throw new Error('The preview host has not started');
  return api;
}

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-151
function createActions(): ExtensionPointApi<ExtensionPointLocation>['actions'] {
  const missing = (name: string) => () => {
    throw new NotInPreviewError(`actions.${name}`);
  };
  return {
    addAlert: ({ type, title, message }: { type?: string; title?: string; message: string }) => showPageAlert(type ?? 'info', title, message),
    reloadPage: () => window.location.reload(),
    copyTextToClipboard: (text: string) => navigator.clipboard.writeText(text),
    refreshObjectProperties: () => window.location.reload(),
    fetchCrmObjectProperties: missing('fetchCrmObjectProperties'),
    onCrmPropertiesUpdate: missing('onCrmPropertiesUpdate'),
    openIframeModal: missing('openIframeModal'),
    closeOverlay: missing('closeOverlay'),
    navigateToPage: missing('navigateToPage'),
  } as ExtensionPointApi<ExtensionPointLocation>['actions'];
}

function showPageAlert(type: string, title: string | undefined, message: string): void {
  const region = document.getElementById('hs-page-alerts');
  if (!region) return;
  const box = document.createElement('div');
  box.className = `hs-alert hs-alert--${type}`;
  box.setAttribute('role', 'status');
  if (title) {
    const heading = document.createElement('p');
    heading.className = 'hs-alert__title';
    heading.textContent = title;
    box.append(heading);
  }
  const body = document.createElement('div');
  body.textContent = message;
  box.append(body);
  region.append(box);
}

/** The bridge's answer: what the proxy got back, or why no response arrived. */
type BridgeAnswer =
  | { outcome: 'response'; status: number; headers: Record<string, string>; body: unknown }
  | { outcome: 'failed'; error: { code: string; message: string } };

/**
 * `hubspot.fetch`: the request goes to the emulator, which sends it signed, as HubSpot's proxy does.
 * Like HubSpot's, the promise rejects when no response arrived and resolves with any status otherwise.
 * @param url absolute URL on a `permittedUrls.fetch` origin
 * @param options method, JSON body, timeout, Authorization header
 * @returns the backend's response
 */
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-152
export async function hubspotFetch(url: HubSpotFetchRequestURI, options: HubSpotFetchOptions = {}): Promise<Response> {
  if (!boot) throw new Error('The preview host has not started');
  // Passed on as given: the bridge, like HubSpot's dev proxy, accepts only an Authorization header and
  // refuses anything else, so a card that sends other headers finds out here.
  const headers: Record<string, string> = {};
  new Headers(options.headers ?? {}).forEach((value, name) => {
    headers[name.toLowerCase() === 'authorization' ? 'Authorization' : name] = value;
  });
  const { context } = boot;
  const bridged = await fetch(boot.fetchPath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      url: String(url),
      ...(options.method ? { method: options.method } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      portalId: context.portal.id,
      userId: context.user.id,
      userEmail: context.user.email,
    }),
  });
  const answer = (await bridged.json()) as BridgeAnswer | { error: { message: string } };
  if (!('outcome' in answer)) throw new TypeError(`hubspot.fetch was refused: ${answer.error.message}`);
  if (answer.outcome === 'failed') throw new TypeError(`hubspot.fetch failed: ${answer.error.message}`);
  const empty = answer.status === 204 || answer.status === 205 || answer.status === 304;
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return new Response(empty ? null : text, { status: answer.status, headers: answer.headers });
}
