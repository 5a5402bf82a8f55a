// The HubSpot operations the emulator serves, as HubSpot's published API reference defines them:
// method, path template, the query parameters each operation takes, and the body model. A request
// that matches no operation here is a call to an endpoint HubSpot does not have (or the emulator
// does not know): a conformance violation. Written from the reference pages under
// https://developers.hubspot.com/docs/api-reference/2026-03/ (and the legacy v1/v3/v4 pages for the
// older paths the emulator also serves).
import type { z } from 'zod';
import * as cc from './custom-channels.models.js';
import * as m from './models.js';

/** How a query parameter's value is typed in the reference. */
export type QueryKind = 'string' | 'integer' | 'boolean' | 'list';

/** One operation of the reference. */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template with `{name}` segments, e.g. `/crm/objects/2026-03/notes/{noteId}`. */
  path: string;
  query?: Readonly<Record<string, QueryKind>>;
  /** JSON body model; absent: the operation takes no body. */
  json?: z.ZodType;
  /** Form body model (OAuth). */
  form?: z.ZodType;
}

const OBJECT_TYPES = ['tickets', 'contacts', 'notes'];
const readQuery = { archived: 'boolean', associations: 'list', properties: 'list', propertiesWithHistory: 'list' } as const;

function objectOperations(prefix: string): Operation[] {
  return OBJECT_TYPES.flatMap((type): Operation[] => {
    const base = `${prefix}/${type}`;
    return [
      { method: 'GET', path: base, query: { ...readQuery, after: 'string', limit: 'integer' } },
      { method: 'POST', path: base, json: m.objectCreate },
      { method: 'POST', path: `${base}/search`, json: m.searchRequest },
      { method: 'POST', path: `${base}/batch/read`, query: { archived: 'boolean' }, json: m.batchRead },
      { method: 'POST', path: `${base}/batch/update`, json: m.batchUpdate },
      { method: 'GET', path: `${base}/{objectId}`, query: { ...readQuery, idProperty: 'string' } },
      { method: 'PATCH', path: `${base}/{objectId}`, query: { idProperty: 'string' }, json: m.objectUpdate },
      { method: 'DELETE', path: `${base}/{objectId}` },
    ];
  });
}

function associationOperations(prefix: string): Operation[] {
  const one = `${prefix}/{objectType}/{objectId}/associations`;
  return [
    { method: 'GET', path: `${one}/{toObjectType}`, query: { after: 'string', limit: 'integer' } },
    { method: 'PUT', path: `${one}/{toObjectType}/{toObjectId}`, json: m.associationSpecs },
    { method: 'DELETE', path: `${one}/{toObjectType}/{toObjectId}` },
    { method: 'PUT', path: `${one}/default/{toObjectType}/{toObjectId}` },
  ];
}

function ownerOperations(base: string): Operation[] {
  return [
    { method: 'GET', path: base, query: { after: 'string', archived: 'boolean', email: 'string', limit: 'integer' } },
    { method: 'GET', path: `${base}/{ownerId}`, query: { archived: 'boolean', idProperty: 'string' } },
  ];
}

function conversationOperations(base: string, assignee: boolean): Operation[] {
  const thread = `${base}/threads/{threadId}`;
  return [
    {
      method: 'GET',
      path: `${base}/threads`,
      query: { after: 'string', archived: 'boolean', associatedContactId: 'integer', associatedTicketId: 'integer', association: 'list', inboxId: 'list', latestMessageTimestampAfter: 'string', limit: 'integer', property: 'string', sort: 'list', threadStatus: 'string' },
    },
    { method: 'GET', path: thread, query: { archived: 'boolean', association: 'list', property: 'string' } },
    { method: 'PATCH', path: thread, query: { archived: 'boolean' }, json: m.threadUpdate },
    { method: 'DELETE', path: thread },
    { method: 'GET', path: `${thread}/messages`, query: { after: 'string', archived: 'boolean', limit: 'integer', property: 'string', sort: 'list' } },
    { method: 'POST', path: `${thread}/messages`, json: m.messageEgg },
    { method: 'GET', path: `${thread}/messages/{messageId}`, query: { property: 'string' } },
    ...(assignee
      ? ([
          { method: 'PUT', path: `${thread}/assignee`, json: m.threadAssign },
          { method: 'DELETE', path: `${thread}/assignee` },
        ] as Operation[])
      : []),
  ];
}

function callbackOperations(base: string): Operation[] {
  return [
    { method: 'POST', path: `${base}/complete`, json: m.batchCallbackCompletion },
    { method: 'POST', path: `${base}/{callbackId}/complete`, json: m.callbackCompletion },
  ];
}

function customChannelOperations(base: string): Operation[] {
  // Developer-level operations take the developer API key (`hapikey`) and the app id as query parameters.
  const dev = { hapikey: 'string', appId: 'integer' } as const;
  const channel = `${base}/{channelId}`;
  const pageQuery = { after: 'string', defaultPageLength: 'integer', limit: 'integer', sort: 'list' } as const;
  return [
    { method: 'GET', path: base, query: { ...dev, ...pageQuery } },
    { method: 'POST', path: base, query: dev, json: cc.channelCreate },
    { method: 'GET', path: channel, query: dev },
    { method: 'PATCH', path: channel, query: dev, json: cc.channelPatch },
    { method: 'DELETE', path: channel, query: dev },
    { method: 'PATCH', path: `${channel}/channel-account-staging-tokens/{accountToken}`, json: cc.stagingTokenUpdate },
    { method: 'GET', path: `${channel}/channel-accounts`, query: { ...pageQuery, archived: 'boolean', deliveryIdentifierType: 'list', deliveryIdentifierValue: 'list' } },
    { method: 'POST', path: `${channel}/channel-accounts`, json: cc.channelAccountEgg },
    { method: 'GET', path: `${channel}/channel-accounts/{channelAccountId}`, query: { archived: 'boolean' } },
    { method: 'PATCH', path: `${channel}/channel-accounts/{channelAccountId}`, json: cc.channelAccountUpdate },
    { method: 'POST', path: `${channel}/messages`, json: cc.channelMessageEgg },
    { method: 'GET', path: `${channel}/messages/{messageId}` },
    { method: 'PATCH', path: `${channel}/messages/{messageId}`, json: cc.channelMessageUpdate },
  ];
}

function inboxOperations(base: string): Operation[] {
  return [
    { method: 'GET', path: `${base}/inboxes`, query: { after: 'string', archived: 'boolean', defaultPageLength: 'integer', limit: 'integer', sort: 'list' } },
    { method: 'GET', path: `${base}/inboxes/{inboxId}`, query: { archived: 'boolean' } },
  ];
}

/** Every operation the emulator serves, old and date-versioned paths. */
export const OPERATIONS: readonly Operation[] = [
  // OAuth (https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide and the legacy v1 pages)
  ...['/oauth/2026-03', '/oauth/v3', '/oauth/v1'].map((p): Operation => ({ method: 'POST', path: `${p}/token`, form: m.tokenForm })),
  ...['/oauth/2026-03', '/oauth/v3'].flatMap((p): Operation[] => [
    { method: 'POST', path: `${p}/token/introspect`, form: m.tokenInfoForm },
    { method: 'POST', path: `${p}/token/revoke`, form: m.tokenInfoForm },
  ]),
  { method: 'GET', path: '/oauth/v1/access-tokens/{token}' },
  { method: 'GET', path: '/oauth/v1/refresh-tokens/{token}' },
  { method: 'DELETE', path: '/oauth/v1/refresh-tokens/{token}' },
  // Account info and uninstall
  { method: 'GET', path: '/account-info/2026-03/details' },
  { method: 'GET', path: '/account-info/v3/details' },
  ...['2026-03', '2026-09', 'v3'].map((v): Operation => ({ method: 'DELETE', path: `/appinstalls/${v}/external-install` })),
  // CRM objects, associations, owners
  ...objectOperations('/crm/objects/2026-03'),
  ...objectOperations('/crm/v3/objects'),
  ...associationOperations('/crm/objects/2026-03'),
  ...associationOperations('/crm/v4/objects'),
  ...ownerOperations('/crm/owners/2026-03'),
  ...ownerOperations('/crm/v3/owners'),
  // Conversations (no 2026-03 version exists; 2026-09 adds the assignee endpoints)
  ...conversationOperations('/conversations/v3/conversations', false),
  ...conversationOperations('/conversations/conversations/2026-09', true),
  // Workflow action callbacks
  ...callbackOperations('/automation/actions/callbacks/2026-03'),
  ...callbackOperations('/automation/v4/actions/callbacks'),
  // Custom channels (https://developers.hubspot.com/docs/api-reference/2026-03/conversations/custom-channels/guide)
  // and the inbox list a channel account connects to.
  ...customChannelOperations('/conversations/custom-channels/2026-03'),
  ...inboxOperations('/conversations/v3/conversations'),
  ...inboxOperations('/conversations/conversations/2026-09'),
];

interface CompiledOperation {
  op: Operation;
  re: RegExp;
  /** Literal characters, so the most specific template wins (`/batch/read` over `/{objectId}`). */
  literal: number;
}

const compiled: CompiledOperation[] = OPERATIONS.map((op) => ({
  op,
  re: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literal: op.path.replace(/\{[^}]+\}/g, '').length,
}));

/** The operation `method path` is, or undefined for an endpoint the reference does not have. */
export function findOperation(method: string, path: string): Operation | undefined {
  const upper = method.toUpperCase();
  let best: CompiledOperation | undefined;
  for (const c of compiled) {
    if (c.op.method !== upper || !c.re.test(path)) continue;
    if (!best || c.literal > best.literal) best = c;
  }
  return best?.op;
}
