// `GET /favicon.ico`: browsers ask for it on every page; without a route each page load would add a
// 404 and a warning line to the log. The icon is a small SVG in the brand's accent colour.
import { Router } from 'express';

/**
 * The favicon route.
 * @param accentColor `#rrggbb` (validated by the configuration)
 */
export function createFaviconRouter(accentColor: string): Router {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${accentColor}"/><path fill="#fff" d="M20 9V5h-2v4h-4V5h-2v4h-1a1 1 0 0 0-1 1v5a6 6 0 0 0 5 5.9V27h2v-6.1a6 6 0 0 0 5-5.9v-5a1 1 0 0 0-1-1h-1z"/></svg>`;
  const router = Router();
  router.get('/favicon.ico', function getFavicon(_req, res) {
    res.set({ 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }).send(svg);
  });
  return router;
}
