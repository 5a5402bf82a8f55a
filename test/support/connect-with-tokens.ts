import type { Services } from '../../backend/src/composition.js';

/** Token fields of a HubSpot token response, as the emulator issues them. */
export interface GrantTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scopes: string[];
}

/**
 * Creates an organization and connects it to `portalId` with already-issued tokens, through the real
 * services (no consent page): the shortcut tests and benchmarks use to get a connected tenant.
 */
export async function connectWithTokens(services: Services, portalId: number, tokens: GrantTokens, name: string): Promise<{ id: string; apiKey: string }> {
  const { organization, apiKey } = await services.organizations.createOrganization({ name });
  const result = await services.connections.applyOAuthGrant({
    organizationId: organization.id,
    grant: {
      portalId,
      portalDomain: null,
      scopes: tokens.scopes,
      approvedBy: null,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessExpiresAt: new Date(Date.now() + tokens.expires_in * 1000),
    },
  });
  if (result.result === 'needs_confirmation') throw new Error('unexpected needs_confirmation');
  return { id: organization.id, apiKey };
}
