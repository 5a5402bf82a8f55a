import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from './openapi-document.js';

const require = createRequire(import.meta.url);
// Swagger UI's prebuilt browser files, served from node_modules (no CDN).
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_UI_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

// The reference page's own script: an external file, so the page needs no inline script.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, tryItOutEnabled: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard vendor API reference</title>
<link rel="icon" type="image/png" href="/docs/api/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/api/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/api/assets/swagger-ui-bundle.js"></script>
<script src="/docs/api/assets/init.js"></script>
</body>
</html>
`;

// The API's CSP (`default-src 'none'`) would block the renderer. This page gets the narrowest policy
// it renders under: scripts and stylesheets from this origin only (no inline script, no eval),
// images from this origin or data: URLs (its icons), and fetches to this origin (the document).
// (Style attributes the renderer sets go through the CSSOM, which style-src does not block.)
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * `GET /api/v1/openapi.json` (public): the vendor API's OpenAPI 3.1 document;
 * `GET /docs/api` (public): the human reference, rendered by Swagger UI from that document.
 */
export function createOpenApiRouter(deps: { publicBaseUrl: string }): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(deps.publicBaseUrl));

  router.get('/api/v1/openapi.json', function getOpenApiDocument(_req, res) {
    // Public and the same for everyone: cacheable, unlike tenant data.
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(document);
  });

  router.get('/docs/api', function getApiReferencePage(_req, res) {
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-cache' }).type('html').send(PAGE);
  });

  router.get('/docs/api/assets/init.js', function getApiReferenceScript(_req, res) {
    res.set('Cache-Control', 'no-cache').type('application/javascript').send(INIT_SCRIPT);
  });

  const assets = express.static(SWAGGER_UI_DIR, { index: false, fallthrough: true, maxAge: '1h' });
  router.get('/docs/api/assets/:file', function getApiReferenceAsset(req, res, next) {
    // Only the files the page loads; the package's sample index.html and the rest stay private.
    if (!SWAGGER_UI_FILES.has(String(req.params.file))) {
      next();
      return;
    }
    req.url = `/${String(req.params.file)}`;
    res.removeHeader('Cache-Control');
    assets(req, res, next);
  });

  return router;
}
