/**
 * The scopes Switchboard asks for. They must equal `config.auth.requiredScopes` / `optionalScopes`
 * in `src/app/app-hsmeta.json` (a mismatch makes HubSpot refuse the install with "scopes are
 * insufficient"); `scopes.test.ts` checks that they do.
 */
export const REQUIRED_SCOPES = [
  'oauth',
  'tickets',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.owners.read',
  'conversations.read',
  'automation',
] as const;

/**
 * Optional scopes: the installer may decline them, and HubSpot drops them when the account lacks them.
 * The custom channel scopes switch on the help desk (its own state lists what is missing:
 * `GET /api/v1/helpdesk`), so they map to no connection feature.
 */
export const OPTIONAL_SCOPES = [
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'conversations.write',
  'conversations.custom_channels.read',
  'conversations.custom_channels.write',
] as const;

export type OptionalScope = (typeof OPTIONAL_SCOPES)[number];

/** What each optional scope switches on, as reported in the connection status `features`. */
export const FEATURE_BY_OPTIONAL_SCOPE: Partial<Record<OptionalScope, FeatureName>> = {
  'crm.objects.companies.read': 'companyContext',
  'crm.objects.deals.read': 'dealContext',
  'conversations.write': 'conversationHandoff',
};

/**
 * Optional features: `companyContext` / `dealContext` let the AI read the contact's company and
 * deals; `conversationHandoff` lets Switchboard assign inbox threads to people and post into them.
 */
export type FeatureName = 'companyContext' | 'dealContext' | 'conversationHandoff';

/** Required scopes missing from a grant (empty when the grant is complete). */
export function missingRequiredScopes(granted: readonly string[]): string[] {
  const have = new Set(granted);
  return REQUIRED_SCOPES.filter((s) => !have.has(s));
}

/** Which optional features a set of granted scopes enables. */
export function featuresFor(granted: readonly string[]): Record<FeatureName, boolean> {
  const have = new Set(granted);
  const features = { companyContext: false, dealContext: false, conversationHandoff: false };
  for (const scope of OPTIONAL_SCOPES) {
    const feature = FEATURE_BY_OPTIONAL_SCOPE[scope];
    if (feature && have.has(scope)) features[feature] = true;
  }
  return features;
}
