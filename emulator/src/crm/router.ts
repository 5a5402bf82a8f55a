// Every HubSpot API route the emulator serves, behind one JSON body parser. Paths are HubSpot's own
// (https://developers.hubspot.com/docs/api-reference/2026-03/), so the backend reaches them by
// changing only its base URL. Mounted after the control and OAuth routers, so only API calls (and unknown routes) reach the parser.
import express, { Router } from 'express';
import { createAccountInfoRouter, createAppInstallsRouter } from './account.routes.js';
import { createAssociationsRouter } from './associations.routes.js';
import { createCallbacksRouter } from './callbacks.routes.js';
import { createConversationsRouter } from './conversations.routes.js';
import { createGuard, type ApiDeps } from './guard.js';
import { createObjectsRouter } from './objects.routes.js';
import { createOwnersRouter } from './owners.routes.js';

/**
 * Builds the HubSpot API router (mounted at the root).
 * @param deps API dependencies
 * @param warn where "not emulated" lines go
 * @returns the router
 */
export function createHubSpotApiRouter(deps: ApiDeps, warn: (message: string) => void): Router {
  const guard = createGuard(deps);
  const api = Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(['/crm/v4/objects', '/crm/objects/2026-03'], createAssociationsRouter(deps, guard, warn));
  api.use(['/crm/v3/objects', '/crm/objects/2026-03'], createObjectsRouter(deps, guard, warn));
  api.use(['/crm/v3/owners', '/crm/owners/2026-03'], createOwnersRouter(deps, guard));
  api.use('/conversations/v3/conversations', createConversationsRouter(deps, guard, { assignee: false }));
  api.use('/conversations/conversations/2026-09', createConversationsRouter(deps, guard, { assignee: true }));
  api.use(['/automation/v4/actions/callbacks', '/automation/actions/callbacks/2026-03'], createCallbacksRouter(deps, guard));
  api.use('/account-info', createAccountInfoRouter(deps, guard));
  api.use('/appinstalls', createAppInstallsRouter(deps, guard));
  return api;
}
