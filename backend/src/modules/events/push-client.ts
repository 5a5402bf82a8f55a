// The HTTP client of event pushes, guarded against server-side request forgery by address, not by
// name: the destination's name is resolved when the connection is made, every address it resolves to
// must be public unicast, and the socket connects to the very address that was checked (the lookup
// result is handed to the socket, nothing resolves the name a second time), so DNS rebinding cannot
// swap the address between the check and the connect. Literal addresses, which sockets never look up,
// are checked before connecting. Only local development (PUBLIC_BASE_URL on http://) may push to
// private addresses, and it says so when the service is built.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to all its addresses (`dns.lookup` by default; tests pass a stub). */
export type PushResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** Why a push failed, as the delivery log shows it. */
export type PushFailure = 'timeout' | 'connection_error' | 'address_refused';

/** A push that got no HTTP answer. */
export class PushError extends Error {
  constructor(
    readonly failure: PushFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PushError';
  }
}

/**
 * Why an address may not receive pushes (its ipaddr.js range: loopback, private, linkLocal,
 * multicast, reserved, unspecified, …), or undefined when it is public unicast. An IPv4-mapped IPv6
 * address is judged as the IPv4 address it maps.
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let ip = ipaddr.parse(address);
  if (ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress()) ip = ip.toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? undefined : range;
}

/**
 * Why a URL host is refused before anything is resolved: names of this machine (`localhost`, any
 * `*.localhost`, with or without trailing dots) and literal addresses that are not public unicast.
 * The URL parser has already turned decimal, octal and hex IPv4 forms into dotted quads.
 */
export function refusedHostReason(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return net.isIP(host) ? refusedAddressReason(host) : undefined;
}

const systemResolver: PushResolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Options of {@link createPushClient}. */
export interface PushClientOptions {
  /** Local development only: private, loopback and link-local destinations are allowed. */
  allowPrivate: boolean;
  resolve?: PushResolver;
}

/** Sends one signed push. */
export interface PushClient {
  /**
   * POSTs `body` to `url` without following redirects.
   * @returns the answer's status (the body is discarded)
   * @throws PushError timeout | connection_error | address_refused (nothing was connected)
   */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number>;
}

/** Builds the push client. */
export function createPushClient(options: PushClientOptions): PushClient {
  const resolve = options.resolve ?? systemResolver;
  const reasonOf = (address: string) => (options.allowPrivate ? undefined : refusedAddressReason(address));

  // The socket's lookup: resolve once, refuse the name if any of its addresses is refused (a name
  // with one private address is not a public destination), hand the checked addresses to the socket.
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (found) => {
        const refused = found.find((a) => reasonOf(a.address) !== undefined);
        if (refused) return callback(new PushError('address_refused', `${hostname} resolves to a ${reasonOf(refused.address)} address`), '', 0);
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const usable = found.filter((a) => family === undefined || a.family === family);
        if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        if (lookupOptions.all) return (callback as unknown as (err: null, all: { address: string; family: number }[]) => void)(null, usable);
        return callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  return Object.freeze<PushClient>({
    post(url, headers, body, timeoutMs) {
      const target = new URL(url);
      const literal = target.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(literal) && reasonOf(literal) !== undefined) {
        return Promise.reject(new PushError('address_refused', `${literal} is a ${reasonOf(literal)} address`));
      }
      const send = target.protocol === 'https:' ? https.request : http.request;
      return new Promise<number>((resolvePromise, reject) => {
        const req = send(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, lookup, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
          res.resume();
          resolvePromise(res.statusCode ?? 0);
        });
        req.on('error', (err: Error) => {
          if (err instanceof PushError) reject(err);
          else if (err.cause instanceof PushError) reject(err.cause);
          else if (err.name === 'TimeoutError' || err.name === 'AbortError') reject(new PushError('timeout', 'no answer in time'));
          else reject(new PushError('connection_error', err.message));
        });
        req.end(body);
      });
    },
  });
}
