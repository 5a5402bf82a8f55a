import type { RequestHandler, Response } from 'express';
import type { Config } from '../../config.js';
import { secretsEqual } from '../../platform/crypto/opaque-token.js';
import { setContextFields } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { OrganizationsService } from './organizations.service.js';

/** The calling organization, as `requireOrganization` leaves it in `res.locals.organization`. */
export interface CurrentOrganization {
  id: string;
  name: string;
  oauthOnly: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The bearer value of the Authorization header, if any. */
function bearerOf(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Guards the vendor API (`/api/v1/*`): `Authorization: Bearer <organization API key>`, looked up by
 * its SHA-256. Sets `res.locals.organization` (read it with `currentOrganization(res)`) and adds the
 * organization id to the log context.
 * @throws AppError unauthorized (401) when the header is missing or the key is unknown
 */
export function requireOrganization(services: { organizations: Pick<OrganizationsService, 'authenticate'> }): RequestHandler {
  return async function requireOrganizationKey(req, res, next) {
    const key = bearerOf(req.get('authorization'));
    const organization = key ? await services.organizations.authenticate(key) : undefined;
    if (!organization) throw new AppError('unauthorized', 'A valid organization API key is required (Authorization: Bearer <key>)');
    const current: CurrentOrganization = { id: organization.id, name: organization.name, oauthOnly: organization.oauthOnly };
    res.locals.organization = current;
    setContextFields({ organizationId: organization.id });
    next();
  };
}

/**
 * Guards admin routes (creating organizations): `Authorization: Bearer <ADMIN_API_KEY>`, compared in
 * constant time.
 * @throws AppError unauthorized (401)
 */
export function requireAdmin(config: Pick<Config, 'adminApiKey'>): RequestHandler {
  return function requireAdminKey(req, _res, next) {
    const key = bearerOf(req.get('authorization'));
    if (!key || !secretsEqual(key, config.adminApiKey)) throw new AppError('unauthorized', 'The admin API key is required (Authorization: Bearer <key>)');
    next();
  };
}

/**
 * The organization `requireOrganization` authenticated for this request.
 * @throws Error when the route was mounted without `requireOrganization` (a programming error)
 */
export function currentOrganization(res: Response): CurrentOrganization {
  const org = res.locals.organization as CurrentOrganization | undefined;
  if (!org) throw new Error('currentOrganization() used on a route without requireOrganization');
  return org;
}
