// `switchboard connect` (local mode): does what the HubSpot admin does with an install link, over
// HTTP: opens the link's install URL, approves the emulator's consent page, and brings the code back
// to the backend's OAuth callback with the browser-binding cookie.
import { CliError } from './context.js';

/** How the connection ended. */
export type ConnectOutcome = 'connected' | 'needs_confirmation';

function cookieFrom(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    if (pair?.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/**
 * Connects through the consent page as the portal's default approver.
 * @param linkUrl the install link (`…/connect/<token>`) @param portalId the emulator portal to pick
 * @throws CliError when a step answers something unexpected
 */
export async function connectThroughConsent(baseUrl: string, linkUrl: string, portalId: number): Promise<ConnectOutcome> {
  const token = /\/connect\/([^/?#]+)/.exec(linkUrl)?.[1];
  if (!token) throw new CliError(`Not an install link: ${linkUrl}`, 'Pass the `url` that `switchboard install-link` printed.');
  const install = await fetch(`${baseUrl}/oauth/install?link=${encodeURIComponent(decodeURIComponent(token))}`, { redirect: 'manual' });
  const authorizeUrl = install.headers.get('location');
  const binding = cookieFrom(install, 'sb_oauth_binding');
  if (install.status !== 302 || !authorizeUrl || !binding) throw new CliError(`The install link did not start an OAuth install (HTTP ${install.status}).`, 'Create a fresh link with `switchboard install-link`.');

  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new CliError(`The consent page refused the install (HTTP ${page.status}): ${(await page.text()).slice(0, 200)}`, 'Is the backend pointed at this emulator? `npm start` in local mode wires them together.');
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('action', 'approve');
  form.set('portal_id', String(portalId));
  const approved = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const callbackUrl = approved.headers.get('location');
  if (approved.status !== 302 || !callbackUrl) throw new CliError(`Approving the consent page failed (HTTP ${approved.status}).`, `Check that portal ${portalId} exists in the emulator (\`switchboard emulator reset\` restores the demo portal 62515).`);
  if (new URL(callbackUrl).searchParams.has('error')) throw new CliError(`HubSpot answered an error: ${new URL(callbackUrl).searchParams.get('error')}`);

  const callback = await fetch(callbackUrl, { headers: { cookie: binding }, redirect: 'manual' });
  const landing = callback.headers.get('location') ?? '';
  if (callback.status === 303 && landing.includes('connected=1')) return 'connected';
  if (callback.status === 303) return 'needs_confirmation';
  const text = await callback.text();
  const message = /<p>([^<]{1,300})<\/p>/.exec(text)?.[1] ?? `HTTP ${callback.status}`;
  throw new CliError(`The backend did not connect: ${message}`, callback.status === 409 ? 'That portal is connected to another organization: disconnect it there, or pass --portal with another portal.' : undefined);
}
