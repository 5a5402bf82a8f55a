import { AppError } from '../platform/errors.js';
import { upstreamError, type HubSpotHttp } from './http.js';
import { accountDetailsSchema, type AccountDetails } from './hubspot.schemas.js';
import { HUBSPOT_PATHS } from './paths.js';

/** Account-level calls made with a specific token (not through the token vault). */
export interface HubSpotAccountClient {
  /**
   * `GET /account-info/2026-03/details` with `token`: which portal the token belongs to. Used to check a
   * pasted Private App token before storing it.
   * @returns the details, or 'unauthorized' when HubSpot rejects the token (401/403)
   * @throws AppError hubspot_unavailable / hubspot_upstream_error
   */
  getAccountDetails(token: string): Promise<AccountDetails | 'unauthorized'>;
  /**
   * `DELETE /appinstalls/2026-03/external-install` with the portal's access token: removes the app
   * from that portal (HubSpot then emails the portal's super admins;
   * https://developers.hubspot.com/docs/api-reference/2026-03/crm/app-uninstalls/guide).
   * @returns 'unauthorized' when the token is already dead (the app is most likely gone already)
   * @throws AppError hubspot_unavailable / hubspot_upstream_error
   */
  uninstallApp(accessToken: string): Promise<'uninstalled' | 'unauthorized'>;
}

/** Builds the account client. */
export function createHubSpotAccountClient(deps: { http: HubSpotHttp }): HubSpotAccountClient {
  return Object.freeze({
    async getAccountDetails(token: string) {
      const res = await deps.http.request({ method: 'GET', path: HUBSPOT_PATHS.accountDetails, bearer: token });
      if (res.status === 401 || res.status === 403) return 'unauthorized' as const;
      if (res.status < 200 || res.status >= 300) throw upstreamError(res, 'account details');
      const parsed = accountDetailsSchema.safeParse(res.body);
      if (!parsed.success) throw new AppError('hubspot_upstream_error', 'HubSpot sent unexpected account details', { cause: new Error('account details: unexpected shape') });
      return parsed.data;
    },
    async uninstallApp(accessToken: string) {
      const res = await deps.http.request({ method: 'DELETE', path: HUBSPOT_PATHS.uninstall, bearer: accessToken });
      if (res.status === 401) return 'unauthorized' as const;
      if (res.status < 200 || res.status >= 300) throw upstreamError(res, 'app uninstall');
      return 'uninstalled' as const;
    },
  });
}
