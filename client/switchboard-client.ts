// A typed client for the Switchboard vendor API. One method per operation of the OpenAPI document
// (named by its operationId; client.test.ts checks the two match). Uses the global fetch.
import type * as T from './types.js';

/** A non-2xx answer of the API, with its error code and message. */
export class SwitchboardApiError extends Error {
  /** @param status HTTP status @param code the API's error code @param details per-field problems */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'SwitchboardApiError';
  }
}

/** Options of {@link createSwitchboardClient}. */
export interface SwitchboardClientOptions {
  /** The backend's public URL, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The organization API key (every operation but `createOrganization`). */
  apiKey?: string;
  /** The deployment's admin key (`createOrganization` only). */
  adminKey?: string;
  /** fetch to use (tests); default the global one. */
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

/** The operationId → method and path table the client implements. */
export const CLIENT_OPERATIONS = {
  getOpenApiDocument: ['GET', '/api/v1/openapi.json'],
  createOrganization: ['POST', '/api/v1/organizations'],
  getOrganization: ['GET', '/api/v1/organization'],
  createInstallLink: ['POST', '/api/v1/install-links'],
  getConnection: ['GET', '/api/v1/connection'],
  disconnect: ['DELETE', '/api/v1/connection'],
  getConnectionHistory: ['GET', '/api/v1/connection/history'],
  setPrivateAppToken: ['PUT', '/api/v1/connection/private-app-token'],
  upsertConversation: ['POST', '/api/v1/conversations'],
  listConversations: ['GET', '/api/v1/conversations'],
  getConversation: ['GET', '/api/v1/conversations/{id}'],
  listTransitions: ['GET', '/api/v1/conversations/{id}/transitions'],
  pauseAi: ['POST', '/api/v1/conversations/{id}/pause'],
  resumeAi: ['POST', '/api/v1/conversations/{id}/resume'],
  requestHandoff: ['POST', '/api/v1/conversations/{id}/handoff'],
  reportAiResult: ['POST', '/api/v1/conversations/{id}/ai-result'],
  getHandoffTeams: ['GET', '/api/v1/handoff-teams'],
  putHandoffTeams: ['PUT', '/api/v1/handoff-teams'],
  listEvents: ['GET', '/api/v1/events'],
  setEventDestination: ['PUT', '/api/v1/event-destination'],
  getEventDestination: ['GET', '/api/v1/event-destination'],
  deleteEventDestination: ['DELETE', '/api/v1/event-destination'],
  listEventDeliveries: ['GET', '/api/v1/event-destination/deliveries'],
  getSettings: ['GET', '/api/v1/settings'],
  updateSettings: ['PATCH', '/api/v1/settings'],
  listWebhookEvents: ['GET', '/api/v1/webhook-events'],
  getHelpdesk: ['GET', '/api/v1/helpdesk'],
  listHelpdeskInboxes: ['GET', '/api/v1/helpdesk/inboxes'],
  connectHelpdeskInbox: ['POST', '/api/v1/helpdesk/connect'],
  publishMessage: ['POST', '/api/v1/conversations/{id}/messages'],
  listMessages: ['GET', '/api/v1/conversations/{id}/messages'],
  reportDelivery: ['POST', '/api/v1/conversations/{id}/messages/{messageId}/delivery'],
  hubspotProxyGet: ['GET', '/api/v1/hubspot/{hubspotPath}'],
  hubspotProxyPost: ['POST', '/api/v1/hubspot/{hubspotPath}'],
  hubspotProxyPut: ['PUT', '/api/v1/hubspot/{hubspotPath}'],
  hubspotProxyPatch: ['PATCH', '/api/v1/hubspot/{hubspotPath}'],
  hubspotProxyDelete: ['DELETE', '/api/v1/hubspot/{hubspotPath}'],
} as const;

/** The client type. */
export type SwitchboardClient = ReturnType<typeof createSwitchboardClient>;

/**
 * Creates a client.
 * @throws SwitchboardApiError from every method on a non-2xx answer
 */
export function createSwitchboardClient(options: SwitchboardClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<R>(op: keyof typeof CLIENT_OPERATIONS, args: { id?: string; messageId?: string; path?: string; query?: Query; body?: unknown; admin?: boolean } = {}): Promise<R> {
    const [method, template] = CLIENT_OPERATIONS[op];
    let path: string = template.replace('{id}', encodeURIComponent(args.id ?? '')).replace('{messageId}', encodeURIComponent(args.messageId ?? '')).replace('{hubspotPath}', (args.path ?? '').replace(/^\/+/, ''));
    const query = Object.entries(args.query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
    if (query.length > 0) path += `${path.includes('?') ? '&' : '?'}${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    const key = args.admin ? options.adminKey : options.apiKey;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    if (args.body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(`${base}${path}`, { method, headers, body: args.body === undefined ? undefined : JSON.stringify(args.body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const error = (parsed as Partial<T.ErrorBody> | undefined)?.error;
      throw new SwitchboardApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `${method} ${path} answered ${res.status}`, error?.details ?? []);
    }
    return parsed as R;
  }

  const proxy = (op: 'hubspotProxyGet' | 'hubspotProxyPost' | 'hubspotProxyPut' | 'hubspotProxyPatch' | 'hubspotProxyDelete') => (hubspotPath: string, body?: unknown) => call<unknown>(op, { path: hubspotPath, body });

  return {
    getOpenApiDocument: () => call<Record<string, unknown>>('getOpenApiDocument'),
    createOrganization: (body: T.CreateOrganizationBody) => call<T.OrganizationCreated>('createOrganization', { body, admin: true }),
    getOrganization: () => call<T.Organization>('getOrganization'),
    createInstallLink: (body: T.CreateInstallLinkBody = {}) => call<T.InstallLink>('createInstallLink', { body }),
    getConnection: () => call<T.ConnectionStatus>('getConnection'),
    disconnect: (query: { uninstall?: boolean } = {}) => call<T.DisconnectResult>('disconnect', { query: { uninstall: query.uninstall } }),
    getConnectionHistory: () => call<T.ConnectionHistory>('getConnectionHistory'),
    setPrivateAppToken: (body: T.PrivateAppTokenBody) => call<T.ConnectionStatus>('setPrivateAppToken', { body }),
    upsertConversation: (body: T.UpsertConversationBody) => call<T.Conversation>('upsertConversation', { body }),
    listConversations: (query: T.ListConversationsQuery = {}) => call<T.ConversationList>('listConversations', { query }),
    getConversation: (id: string) => call<T.Conversation>('getConversation', { id }),
    listTransitions: (id: string) => call<T.TransitionList>('listTransitions', { id }),
    pauseAi: (id: string, body: T.TransitionBody = {}) => call<T.TransitionResult>('pauseAi', { id, body }),
    resumeAi: (id: string, body: T.TransitionBody = {}) => call<T.TransitionResult>('resumeAi', { id, body }),
    requestHandoff: (id: string, body: T.HandoffBody = {}) => call<T.TransitionResult>('requestHandoff', { id, body }),
    reportAiResult: (id: string, body: T.AiResultBody) => call<T.AiResultReport>('reportAiResult', { id, body }),
    getHandoffTeams: () => call<T.HandoffTeams>('getHandoffTeams'),
    putHandoffTeams: (body: T.PutHandoffTeamsBody) => call<T.HandoffTeams>('putHandoffTeams', { body }),
    listEvents: (query: T.ListEventsQuery = {}) => call<T.EventFeed>('listEvents', { query }),
    setEventDestination: (body: { url: string }) => call<T.EventDestinationCreated>('setEventDestination', { body }),
    getEventDestination: () => call<T.EventDestinationView>('getEventDestination'),
    deleteEventDestination: () => call<void>('deleteEventDestination'),
    listEventDeliveries: (query: T.ListDeliveriesQuery = {}) => call<T.EventDeliveries>('listEventDeliveries', { query }),
    getSettings: () => call<T.Settings>('getSettings'),
    updateSettings: (body: T.PatchSettingsBody) => call<T.Settings>('updateSettings', { body }),
    listWebhookEvents: (query: T.ListWebhookEventsQuery = {}) => call<T.WebhookEventList>('listWebhookEvents', { query }),
    getHelpdesk: () => call<T.HelpdeskStatus>('getHelpdesk'),
    listHelpdeskInboxes: () => call<T.HelpdeskInboxes>('listHelpdeskInboxes'),
    connectHelpdeskInbox: (body: T.ConnectInboxBody) => call<T.HelpdeskAccount>('connectHelpdeskInbox', { body }),
    publishMessage: (id: string, body: T.PublishMessageBody) => call<T.HelpdeskMessage>('publishMessage', { id, body }),
    listMessages: (id: string) => call<T.HelpdeskMessageList>('listMessages', { id }),
    reportDelivery: (id: string, messageId: string, body: T.DeliveryBody) => call<T.HelpdeskDelivery>('reportDelivery', { id, messageId, body }),
    hubspotProxyGet: (hubspotPath: string) => call<unknown>('hubspotProxyGet', { path: hubspotPath }),
    hubspotProxyPost: proxy('hubspotProxyPost'),
    hubspotProxyPut: proxy('hubspotProxyPut'),
    hubspotProxyPatch: proxy('hubspotProxyPatch'),
    hubspotProxyDelete: (hubspotPath: string) => call<unknown>('hubspotProxyDelete', { path: hubspotPath }),
  };
}
