import type { Express } from 'express';
import request from 'supertest';

/** The connection page as a browser got it: the response, the cookies it holds now and the form token. */
export interface OpenedConnectPage {
  res: request.Response;
  /** `Cookie` header value for the next request (the given cookies plus the CSRF secret). */
  cookie: string;
  /** The CSRF token the page's forms carry. */
  csrf: string;
}

/** Merges `Set-Cookie` answers into a `Cookie` header value (later values win; Max-Age=0 deletes). */
export function mergeCookies(cookie: string | undefined, setCookie: string[] | string | undefined): string {
  const jar = new Map<string, string>();
  for (const part of (cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name) jar.set(name, value.join('='));
  }
  for (const line of ([] as string[]).concat(setCookie ?? [])) {
    const [pair, ...attrs] = line.split(';');
    const [name, ...value] = pair!.trim().split('=');
    if (!name) continue;
    if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
    else jar.set(name, value.join('='));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** GETs `/connect/:token` like a browser holding `cookie`. */
export async function openConnectPage(app: Express, linkToken: string, cookie?: string): Promise<OpenedConnectPage> {
  const req = request(app).get(`/connect/${linkToken}`).set('Accept', 'text/html');
  const res = await (cookie ? req.set('Cookie', cookie) : req);
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
  return { res, cookie: mergeCookies(cookie, res.headers['set-cookie']), csrf };
}

/**
 * Submits one of the page's forms like the browser that opened it: loads the page (for the CSRF
 * cookie and token), then POSTs `/connect/:token/:action` with the fields, as HTML form data.
 * Errors come back as JSON unless `accept: 'html'` (then as the browser sees them).
 */
export async function submitConnectForm(
  app: Express,
  linkToken: string,
  action: string,
  fields: Record<string, string> = {},
  opts: { cookie?: string; accept?: 'html' } = {},
): Promise<request.Response> {
  const page = await openConnectPage(app, linkToken, opts.cookie);
  const req = request(app).post(`/connect/${linkToken}/${action}`).set('Cookie', page.cookie).type('form');
  return (opts.accept === 'html' ? req.set('Accept', 'text/html') : req).send({ csrf: page.csrf, ...fields });
}
