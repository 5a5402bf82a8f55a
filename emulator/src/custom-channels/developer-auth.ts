// Developer-level authentication of channel registration: the developer account's API key in the
// `hapikey` query parameter, and the app id in `appId` (required to register). The reference's
// 2026-09 version names the `developer_hapikey` scheme; HubSpot's guide registers with
// `?hapikey={developer API key}&appId={appId}`. Injected faults (forced 429, 5xx) apply here too.
// https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-200
import type { RequestHandler } from 'express';
import type { Faults } from '../faults.js';
import { apiError, HttpError, validationError } from '../http/errors.js';
import { stringParam } from '../http/validate.js';
import { rateLimitBody } from '../rate-limit.js';

/**
 * Builds the middleware for one developer-level route.
 * @param app the developer API key and app id to accept
 * @param faults the emulator's fault injection
 * @param requireAppId true where the app id must be given (registration)
 */
export function developerGuard(app: { developerApiKey: string; appId: number }, faults: Faults, requireAppId = false): RequestHandler {
  return (req, _res, next) => {
    const key = stringParam(req.query.hapikey);
    // The key is never echoed: it is a credential.
    if (key === undefined || key !== app.developerApiKey) {
      throw apiError(401, 'INVALID_AUTHENTICATION', 'The developer API key (hapikey) is missing or not valid for this developer account.');
    }
    const appId = stringParam(req.query.appId);
    if (appId === undefined && requireAppId) throw validationError('appId is required: the id of the app that owns the channel');
    if (appId !== undefined && appId !== String(app.appId)) throw validationError(`appId ${appId.slice(0, 32)} is not an app of this developer account`);
    if (faults.takeForced429()) throw new HttpError(429, rateLimitBody('TEN_SECONDLY_ROLLING', `publicapi:developer:${app.appId}`));
    const failure = faults.takeApiFailure(`${req.method} ${req.originalUrl.split('?')[0]}`);
    if (failure !== undefined) throw apiError(failure, 'INTERNAL_ERROR', 'internal error');
    next();
  };
}
