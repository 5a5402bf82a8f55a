/**
 * Which scope a HubSpot endpoint needs, for the vendor proxy (`/api/v1/hubspot/*`), so a missing
 * scope is reported by name instead of HubSpot's generic 403. Scope names are taken from the API
 * specs' `security` blocks. A rule lists the scopes that each suffice ("any of"),
 * for reads (GET/HEAD and POST searches / batch reads) and for writes. Paths not in the table are
 * refused: the proxy forwards only what we know the grant covers.
 */

/** One row of the table. */
export interface EndpointScopeRule {
  /** Path prefix, matched on whole segments. */
  prefix: string;
  /** Any one of these allows reads. */
  read: readonly string[];
  /** Any one of these allows writes. */
  write: readonly string[];
}

const objectRules = (type: string, read: readonly string[], write: readonly string[]): EndpointScopeRule[] => [
  { prefix: `/crm/v3/objects/${type}`, read, write },
  { prefix: `/crm/objects/2026-03/${type}`, read, write },
];

/** The table, most specific prefixes first. */
export const ENDPOINT_SCOPES: readonly EndpointScopeRule[] = [
  ...objectRules('tickets', ['tickets'], ['tickets']),
  ...objectRules('contacts', ['crm.objects.contacts.read'], ['crm.objects.contacts.write']),
  ...objectRules('companies', ['crm.objects.companies.read'], ['crm.objects.companies.write']),
  ...objectRules('deals', ['crm.objects.deals.read'], ['crm.objects.deals.write']),
  // Notes are authorised through the objects they are attached to; we attach them to contacts and tickets.
  ...objectRules('notes', ['crm.objects.contacts.read', 'tickets'], ['crm.objects.contacts.write', 'tickets']),
  // The owners endpoints also accept `automation`.
  { prefix: '/crm/v3/owners', read: ['crm.objects.owners.read', 'automation'], write: [] },
  { prefix: '/crm/owners/2026-03', read: ['crm.objects.owners.read', 'automation'], write: [] },
  { prefix: '/conversations/v3/conversations', read: ['conversations.read'], write: ['conversations.write'] },
  { prefix: '/conversations/conversations/2026-09', read: ['conversations.read'], write: ['conversations.write'] },
  { prefix: '/automation/v4/actions/callbacks', read: ['automation'], write: ['automation'] },
  { prefix: '/automation/actions/callbacks/2026-03', read: ['automation'], write: ['automation'] },
  { prefix: '/account-info/v3', read: ['oauth'], write: [] },
];

/** Prefixes never forwarded: token management and uninstalling belong to Switchboard itself. */
export const FORBIDDEN_PREFIXES: readonly string[] = ['/oauth', '/appinstalls', '/webhooks', '/webhooks-journal', '/integrations'];

/** What the proxy may do with a request. */
export type ScopeCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_scope'; scope: string }
  | { ok: false; reason: 'not_allowed' };

const matches = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** True for POSTs that only read (search and batch read). */
function isReadOnlyPost(path: string): boolean {
  return /\/search$/.test(path) || /\/batch\/read$/.test(path);
}

/**
 * Decides whether `granted` scopes cover `method path` (pure).
 * @param path a validated absolute path (no query), e.g. `/crm/v3/objects/tickets/12`
 */
export function checkEndpointScopes(method: string, path: string, granted: readonly string[]): ScopeCheck {
  if (FORBIDDEN_PREFIXES.some((p) => matches(path, p))) return { ok: false, reason: 'not_allowed' };
  const rule = ENDPOINT_SCOPES.find((r) => matches(path, r.prefix));
  if (!rule) return { ok: false, reason: 'not_allowed' };
  const upper = method.toUpperCase();
  const isRead = upper === 'GET' || upper === 'HEAD' || (upper === 'POST' && isReadOnlyPost(path));
  const needed = isRead ? rule.read : rule.write;
  if (needed.length === 0) return { ok: false, reason: 'not_allowed' };
  const have = new Set(granted);
  return needed.some((s) => have.has(s)) ? { ok: true } : { ok: false, reason: 'missing_scope', scope: needed[0]! };
}
