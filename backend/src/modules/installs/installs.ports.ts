// What the install flow needs from other modules and from HubSpot's OAuth endpoints.
import type { HubSpotOAuthClient } from '../../hubspot/oauth-client.js';
import type { ConnectionsService } from '../connections/connections.service.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';

/** The connections module applies a verified grant and says who holds a portal. */
export type ConnectionsPort = Pick<ConnectionsService, 'applyOAuthGrant' | 'findByPortalId'>;

/** The organizations module resolves the organization behind a link or a holder. */
export type OrganizationsPort = Pick<OrganizationsService, 'findById'>;

/** HubSpot's OAuth endpoints the install flow calls: consent URL, code exchange, introspection, revocation. */
export type OAuthPort = Pick<HubSpotOAuthClient, 'authorizeUrl' | 'exchangeCode' | 'introspect' | 'revoke'>;
