// A client that reuses idle keep-alive sockets can send on one the server is closing at that very
// moment (its keep-alive timeout fired): undici then fails with "other side closed" (UND_ERR_SOCKET)
// although the server never saw the request. Browsers and HTTP libraries retry such a request
// once when it is idempotent; so does this.

/** fetch, retried once when an idempotent request met a socket the server had just closed. */
export async function fetchRetryingClosedIdleSocket(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const method = (init.method ?? 'GET').toUpperCase();
    const code = ((err as { cause?: { code?: unknown } }).cause ?? {}).code;
    if (code !== 'UND_ERR_SOCKET' || !['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method)) throw err;
    return fetch(url, init);
  }
}
