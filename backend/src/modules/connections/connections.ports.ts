// What the connections module needs from other modules, as slices of the types their owners export.
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { TokensService } from '../tokens/tokens.service.js';

/** The token vault: stores and replaces grants, opens them to revoke, reports their health. */
export type TokensPort = Pick<TokensService, 'lockEntry' | 'lockAndOpen' | 'storeOAuthTokens' | 'storePrivateAppToken' | 'open' | 'forget' | 'getAccessToken' | 'getHealth'>;
/** The organization a grant is applied to. */
export type OrganizationsPort = Pick<OrganizationsService, 'findById'>;
