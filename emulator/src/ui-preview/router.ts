// GET /_emulator/ui (index), /_emulator/ui/:objectType/:objectId (record page with the project's
// record-sidebar cards), /_emulator/ui/settings (the settings page), their assets, and
// POST /_emulator/ui/fetch: the page's `hubspot.fetch`, sent through the emulator's signing proxy.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import type { Variables } from '../manifests.js';
import { ControlError, controlErrorHandler, parseInput } from '../outbound/control-errors.js';
import { findObject, findOwner, listObjects, type EmulatorState } from '../state.js';
import { fetchSchema, type UiFetchProxy, type UiFetchRequest } from '../ui-fetch/router.js';
import { createPreviewBundler } from './bundle.js';
import { crmContext, pickViewer, settingsContext, type Viewer } from './context.js';
import { listUiExtensions, type UiExtension } from './extensions.js';
import { PREVIEW_BASE, PREVIEW_CSP, renderErrorPage, renderIndexPage, renderRecordPage, renderSettingsPage, type ExtensionSlot } from './page.js';

/** What the preview needs from the emulator. */
export interface UiPreviewDeps {
  state: EmulatorState;
  /** The `hubspot.fetch` stand-in (signs as HubSpot's proxy does). */
  proxy: UiFetchProxy;
  app: { appId: number; name: string };
  /** The project's `src/`. */
  srcDir: string;
  variables: Variables;
}

const stylesheet = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser', 'preview.css');
// Standard object type ids: https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm#object-type-ids
const OBJECT_TYPE_IDS = { tickets: '0-5', contacts: '0-1' } as const;

/**
 * The preview router.
 * @param deps state, fetch proxy, app, project folder and profile variables
 * @returns an Express router (absolute paths; mount at the root, before the control router)
 */
export function createUiPreviewRouter(deps: UiPreviewDeps): Router {
  const router = Router();
  const bundler = createPreviewBundler({ rootDir: path.resolve(deps.srcDir, '..') });
  const appCtx = { appId: deps.app.appId, appName: deps.app.name };

  async function slotFor(extension: UiExtension, boot: () => unknown): Promise<ExtensionSlot> {
    const base = { uid: extension.uid, title: extension.name, appName: deps.app.name };
    const built = await bundler.bundle(extension.uid, extension.entryFile);
    if (!built.ok) return { ...base, errors: built.errors };
    const bundleUrl = `${PREVIEW_BASE}/assets/ext/${encodeURIComponent(extension.uid)}.js?v=${built.hash}`;
    return { ...base, bundleUrl, boot: { uid: extension.uid, location: extension.location, context: boot(), fetchPath: `${PREVIEW_BASE}/fetch` } };
  }

  const sendPage = (res: Response, html: string) => {
    res.set({ 'Content-Security-Policy': PREVIEW_CSP, 'Cache-Control': 'no-store' }).type('html').send(html);
  };

  router.get(PREVIEW_BASE, (req, res) => {
    const viewer = pickViewer(deps.state, req.query);
    const records = (['tickets', 'contacts'] as const).flatMap((type) => listObjects(deps.state.ctx, viewer.portal.id, type).map((object) => ({ type, object })));
    sendPage(res, renderIndexPage(viewer, records));
  });

  router.get(`${PREVIEW_BASE}/assets/preview.css`, async (_req, res) => {
    res.set('Cache-Control', 'no-store').type('css').send(await readFile(stylesheet, 'utf8'));
  });

  router.get(`${PREVIEW_BASE}/assets/ext/:file`, async (req, res) => {
    const uid = /^(.+)\.js$/.exec(req.params.file)?.[1];
    const extension = listUiExtensions(deps.srcDir, deps.variables).find((e) => e.uid === uid);
    if (!extension) throw new ControlError(404, 'not_found', `No UI extension ${uid ?? req.params.file}`);
    const built = await bundler.bundle(extension.uid, extension.entryFile);
    if (!built.ok) throw new ControlError(422, 'build_failed', built.errors.join('\n'));
    res.set('Cache-Control', 'no-store').type('js').send(built.js);
  });

  router.get(`${PREVIEW_BASE}/settings`, async (req, res) => {
    const viewer = pickViewer(deps.state, req.query);
    const extension = listUiExtensions(deps.srcDir, deps.variables).find((e) => e.type === 'settings');
    const slot = extension ? await slotFor(extension, () => settingsContext(viewer, appCtx, deps.variables)) : undefined;
    sendPage(res, renderSettingsPage(viewer, deps.app.name, slot));
  });

  router.get(`${PREVIEW_BASE}/:objectType/:objectId`, async (req, res) => {
    const objectType = req.params.objectType;
    if (objectType !== 'tickets' && objectType !== 'contacts') throw new ControlError(404, 'not_found', 'The preview shows tickets and contacts');
    if (!/^[1-9]\d{0,15}$/.test(req.params.objectId)) throw new ControlError(400, 'invalid_params', 'objectId must be a positive integer');
    const viewer: Viewer = pickViewer(deps.state, req.query);
    const objectId = Number(req.params.objectId);
    const record = findObject(deps.state.ctx, viewer.portal.id, objectType, objectId);
    if (!record || record.archived) throw new ControlError(404, 'not_found', `${objectType} ${objectId} does not exist in portal ${viewer.portal.id}`);
    const ownerId = Number(record.properties.hubspot_owner_id);
    const owner = Number.isInteger(ownerId) && ownerId > 0 ? findOwner(deps.state.ctx, viewer.portal.id, ownerId) : undefined;
    // `?location=helpdesk.sidebar` shows the help desk cards of a ticket in the same sidebar.
    const location = req.query.location === undefined ? 'crm.record.sidebar' : req.query.location;
    if (location !== 'crm.record.sidebar' && location !== 'helpdesk.sidebar') throw new ControlError(400, 'invalid_params', 'location must be crm.record.sidebar or helpdesk.sidebar');
    const cards = listUiExtensions(deps.srcDir, deps.variables).filter((e) => e.type === 'card' && e.location === location && e.objectTypes.includes(objectType));
    const slots = await Promise.all(
      cards.map((card) =>
        slotFor(card, () => crmContext(viewer, { objectId, objectTypeId: OBJECT_TYPE_IDS[objectType] }, location, { ...appCtx, cardTitle: card.name }, deps.variables)),
      ),
    );
    sendPage(res, renderRecordPage({ viewer, objectType, record, owner, slots }));
  });

  router.post(`${PREVIEW_BASE}/fetch`, express.json({ limit: '2mb' }), async (req: Request, res: Response) => {
    // The same input as POST /_emulator/fetch: the page sends what the card asked for and who is looking.
    const input = parseInput(fetchSchema, req.body, 'invalid_body') as UiFetchRequest;
    try {
      const { status, headers, body } = await deps.proxy.send(input);
      res.json({ outcome: 'response', status, headers, body });
    } catch (error) {
      // No response reached the card (not permitted, unreachable, timeout): its promise rejects.
      if (!(error instanceof ControlError)) throw error;
      res.json({ outcome: 'failed', error: { code: error.code, message: error.message } });
    }
  });

  router.use(PREVIEW_BASE, (error: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    if (res.headersSent || !(error instanceof ControlError) || req.method !== 'GET') {
      next(error);
      return;
    }
    res.status(error.status).format({
      html: () => sendPage(res, renderErrorPage(error.code === 'not_found' ? 'Not found' : 'Bad request', error.message)),
      default: () => res.json({ error: { code: error.code, message: error.message } }),
    });
  });
  router.use(PREVIEW_BASE, controlErrorHandler);
  return router;
}
