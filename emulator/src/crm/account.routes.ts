// Account info (`GET /account-info/v3/details`) and the App Uninstallation API
// (`DELETE /appinstalls/{v3|2026-03|2026-09}/external-install`).
import { Router, type RequestHandler } from 'express';
import { requirePortal, uninstall } from '../state.js';
import { principalOf, type ApiDeps, type GuardOptions } from './guard.js';

// A small table of the zones seeded and offered by the control API; enough for the offsets HubSpot reports.
const utcOffsets: Record<string, string> = { 'US/Eastern': '-05:00', 'US/Pacific': '-08:00', UTC: '+00:00', 'Europe/Berlin': '+01:00', 'Europe/London': '+00:00' };

/**
 * Builds the account-info router (mounted at `/account-info`).
 * @param deps API dependencies
 * @param guard the guard factory
 * @returns the router
 */
export function createAccountInfoRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler): Router {
  const router = Router();
  // Any valid token may read its own account's details; no scope is checked.
  // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-14
  router.get(['/v3/details', '/2026-03/details'], guard({ scopes: [] }), (_req, res) => {
    const portal = requirePortal(deps.state.ctx, principalOf(res).portalId);
    const utcOffset = utcOffsets[portal.timeZone] ?? '+00:00';
    const sign = utcOffset.startsWith('-') ? -1 : 1;
    const [hours = '0', minutes = '0'] = utcOffset.slice(1).split(':');
    res.json({
      portalId: portal.id,
      accountType: portal.accountType,
      timeZone: portal.timeZone,
      companyCurrency: portal.currency,
      additionalCurrencies: [],
      utcOffset,
      utcOffsetMilliseconds: sign * (Number(hours) * 3_600_000 + Number(minutes) * 60_000),
      uiDomain: portal.uiDomain,
      dataHostingLocation: portal.dataHostingLocation,
    });
  });
  return router;
}

/**
 * Builds the uninstall router (mounted at `/appinstalls`).
 * @param deps API dependencies
 * @param guard the guard factory
 * @returns the router
 */
export function createAppInstallsRouter(deps: ApiDeps, guard: (opts: GuardOptions) => RequestHandler): Router {
  const router = Router();
  router.delete(['/v3/external-install', '/2026-03/external-install', '/2026-09/external-install'], guard({ scopes: ['oauth'], oauthOnly: true }), (_req, res) => {
    uninstall(deps.state.ctx, principalOf(res).portalId, 'api');
    res.status(204).end();
  });
  return router;
}
