// A typed client for the emulator's control API, for tests and scripts. Every `/_emulator/*` route of
// the emulator core has a method; `authorize()` performs the consent programmatically (GET the consent
// page, POST its form) and `installViaOAuth()` adds the code exchange, exactly as a browser and a
// backend would. Uses the global fetch; no server code is imported at run time.
import type { ChannelDelivery } from './src/custom-channels/webhooks.js';
import type { InboxMessage, InboxThread } from './src/custom-channels/inbox.js';
import type { FaultPatch, FaultSettings } from './src/faults.js';
import type { OAuthApp } from './src/oauth/authorize-request.js';
import type { Settings, SettingsPatch } from './src/settings.js';
import type {
  AccessTokenRecord,
  ChangeLogEntry,
  CrmObject,
  Install,
  Message,
  Owner,
  Portal,
  PortalCounters,
  PrivateAppToken,
  RefreshTokenRecord,
  RequestLogEntry,
  Thread,
  Uninstall,
  User,
} from './src/state.js';

/** A non-2xx answer from the emulator. */
export class EmulatorClientError extends Error {
  /** @param status HTTP status @param body parsed JSON (or text) body */
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} -> HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'EmulatorClientError';
  }
}

/** HubSpot's token response (https://developers.hubspot.com/docs/api-reference/2026-03/auth/oauth/guide). */
export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  hub_id: number;
  user_id: number;
  scopes: string[];
  token_use: string;
}

/** Options of {@link EmulatorClient.authorize}. */
export interface AuthorizeOptions {
  redirectUri: string;
  /** `scope`; default the app's required scopes. */
  scopes?: string[];
  /** `optional_scope`; default none. */
  optionalScopes?: string[];
  state?: string;
  /** The account to pick; default the seeded demo portal. */
  portalId?: number;
  /** Use `/oauth/{hubId}/authorize` (no account picker). */
  hubIdInPath?: boolean;
  /** The installing user; default the portal's super admin. */
  userId?: number;
  /** Press Cancel instead of Connect. */
  cancel?: boolean;
  /** Override client_id (to test a wrong one). */
  clientId?: string;
}

/** Where the consent page redirected. */
export interface AuthorizeResult {
  location: string;
  code?: string;
  state?: string;
  error?: string;
}

/** Record change bodies share an optional acting user (default: the portal's super admin). */
interface Actor {
  actorUserId?: number;
}

type PropertyValues = Record<string, string | number | boolean | null>;

/** The control client. */
export type EmulatorClient = ReturnType<typeof createEmulatorClient>;

/**
 * Creates a client for one emulator.
 * @param baseUrl the emulator's URL (`emulator.url`)
 * @returns the client
 */
export function createEmulatorClient(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text === '' ? undefined : safeJson(text);
    if (!res.ok) throw new EmulatorClientError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }
  const p = (portalId: number) => `/_emulator/portals/${portalId}`;
  let appCache: OAuthApp | undefined;
  const app = async () => (appCache ??= await call<OAuthApp>('GET', '/_emulator/app'));

  const client = {
    /** Any control or outbound route (`/_emulator/webhooks/...`, `/_emulator/workflows/...`). */
    request: call,
    health: () => call<{ ok: true; now: number; appId: number; clientId: string; instanceId: string }>('GET', '/_emulator/health'),
    app,
    reset: () => call<{ reset: true; instanceId: string }>('POST', '/_emulator/reset'),
    state: () => call<Record<string, unknown>>('GET', '/_emulator/state'),
    clock: () => call<{ now: number }>('GET', '/_emulator/clock'),
    advanceClock: (ms: number) => call<{ now: number }>('POST', '/_emulator/clock/advance', { ms }),
    settings: () => call<Settings>('GET', '/_emulator/settings'),
    updateSettings: (patch: SettingsPatch) => call<Settings>('PATCH', '/_emulator/settings', patch),
    counters: () => call<{ portals: Record<string, PortalCounters> }>('GET', '/_emulator/counters'),
    portalCounters: (portalId: number) => call<PortalCounters>('GET', `${p(portalId)}/counters`),
    requests: (filter: { portalId?: number; method?: string; path?: string; since?: number } = {}) =>
      call<{ requests: RequestLogEntry[] }>('GET', `/_emulator/requests${query(filter)}`).then((r) => r.requests),
    clearRequests: () => call<{ cleared: true }>('DELETE', '/_emulator/requests'),
    changes: (portalId?: number) => call<{ changes: ChangeLogEntry[] }>('GET', `/_emulator/changes${query({ portalId })}`).then((r) => r.changes),
    faults: () => call<FaultSettings>('GET', '/_emulator/faults'),
    setFaults: (patch: FaultPatch) => call<FaultSettings>('POST', '/_emulator/faults', patch),
    clearFaults: () => call<FaultSettings>('DELETE', '/_emulator/faults'),

    portals: () => call<{ portals: Portal[] }>('GET', '/_emulator/portals').then((r) => r.portals),
    createPortal: (input: { id?: number; name?: string; domain?: string; timeZone?: string; currency?: string; superAdmin?: { email?: string; firstName?: string; lastName?: string } } = {}) =>
      call<{ portal: Portal; superAdmin: User; owner: Owner }>('POST', '/_emulator/portals', input),
    portal: (portalId: number) => call<{ portal: Portal; users: User[]; owners: Owner[] }>('GET', p(portalId)),
    users: (portalId: number) => call<{ users: User[] }>('GET', `${p(portalId)}/users`).then((r) => r.users),
    createUser: (portalId: number, input: { email: string; firstName?: string; lastName?: string; superAdmin?: boolean; owner?: boolean }) =>
      call<{ user: User; owner?: Owner }>('POST', `${p(portalId)}/users`, input),
    owners: (portalId: number, archived = false) => call<{ owners: Owner[] }>('GET', `${p(portalId)}/owners${query({ archived: archived || undefined })}`).then((r) => r.owners),
    createOwner: (portalId: number, input: { userId?: number; email?: string; firstName?: string; lastName?: string; type?: 'PERSON' | 'QUEUE' }) =>
      call<Owner>('POST', `${p(portalId)}/owners`, input),

    /** Installs without the consent page and returns a token set (not counted as a token exchange). */
    install: (portalId: number, input: { userId?: number; scopes?: string[] } = {}) => call<TokenResponse>('POST', `${p(portalId)}/install`, input),
    uninstall: (portalId: number) => call<{ uninstalled: true }>('POST', `${p(portalId)}/uninstall`),
    revokePortalTokens: (portalId: number) => call<{ revoked: number }>('POST', `${p(portalId)}/revoke-tokens`),
    installs: () => call<{ installs: Install[] }>('GET', '/_emulator/installs').then((r) => r.installs),
    uninstalls: () => call<{ uninstalls: Uninstall[] }>('GET', '/_emulator/uninstalls').then((r) => r.uninstalls),
    privateAppTokens: (portalId: number) => call<{ tokens: PrivateAppToken[] }>('GET', `${p(portalId)}/private-app-tokens`).then((r) => r.tokens),
    createPrivateAppToken: (portalId: number, input: { scopes: string[]; name?: string }) => call<PrivateAppToken>('POST', `${p(portalId)}/private-app-tokens`, input),
    revokePrivateAppToken: (token: string) => call<{ revoked: true }>('DELETE', `/_emulator/private-app-tokens/${encodeURIComponent(token)}`),
    tokens: (portalId?: number) => call<{ accessTokens: AccessTokenRecord[]; refreshTokens: RefreshTokenRecord[] }>('GET', `/_emulator/tokens${query({ portalId })}`),
    expireAccessToken: (token: string) => call<{ expired: true }>('POST', `/_emulator/tokens/${encodeURIComponent(token)}/expire`),
    revokeToken: (token: string) => call<{ revoked: true }>('POST', `/_emulator/tokens/${encodeURIComponent(token)}/revoke`),

    contacts: (portalId: number) => call<{ contacts: CrmObject[] }>('GET', `${p(portalId)}/contacts`).then((r) => r.contacts),
    createContact: (portalId: number, input: { properties: PropertyValues; associatedIds?: number[] } & Actor) => call<CrmObject>('POST', `${p(portalId)}/contacts`, input),
    updateContact: (portalId: number, id: number, input: { properties: PropertyValues } & Actor) => call<CrmObject>('PATCH', `${p(portalId)}/contacts/${id}`, input),
    deleteContact: (portalId: number, id: number, actor: Actor = {}) => call<{ archived: true }>('DELETE', `${p(portalId)}/contacts/${id}`, actor),
    privacyDeleteContact: (portalId: number, id: number, actor: Actor = {}) => call<{ deleted: true }>('POST', `${p(portalId)}/contacts/${id}/privacy-delete`, actor),
    tickets: (portalId: number) => call<{ tickets: CrmObject[] }>('GET', `${p(portalId)}/tickets`).then((r) => r.tickets),
    createTicket: (portalId: number, input: { properties: PropertyValues; associatedIds?: number[] } & Actor) => call<CrmObject>('POST', `${p(portalId)}/tickets`, input),
    updateTicket: (portalId: number, id: number, input: { properties: PropertyValues } & Actor) => call<CrmObject>('PATCH', `${p(portalId)}/tickets/${id}`, input),
    setTicketOwner: (portalId: number, id: number, ownerId: number | null, actor: Actor = {}) => call<CrmObject>('PUT', `${p(portalId)}/tickets/${id}/owner`, { ownerId, ...actor }),
    deleteTicket: (portalId: number, id: number, actor: Actor = {}) => call<{ archived: true }>('DELETE', `${p(portalId)}/tickets/${id}`, actor),
    associateTicketWithContact: (portalId: number, ticketId: number, contactId: number) => call<{ associated: true }>('POST', `${p(portalId)}/tickets/${ticketId}/associations/${contactId}`),

    threads: (portalId: number) => call<{ threads: (Thread & { messages: Message[] })[] }>('GET', `${p(portalId)}/threads`).then((r) => r.threads),
    createThread: (
      portalId: number,
      input: { inboxId?: string; channelId?: string; channelAccountId?: string; associatedContactId?: number | null; associatedTicketId?: number | null; assignedTo?: number | null; status?: 'OPEN' | 'CLOSED'; firstMessage?: { text: string; subject?: string } } & Actor = {},
    ) => call<Thread>('POST', `${p(portalId)}/threads`, input),
    /** Assigns a thread to a user id (not an owner id), or unassigns with null. */
    assignThread: (portalId: number, threadId: number, userId: number | null, actor: Actor = {}) => call<Thread>('PUT', `${p(portalId)}/threads/${threadId}/assignee`, { userId, ...actor }),
    setThreadStatus: (portalId: number, threadId: number, status: 'OPEN' | 'CLOSED', actor: Actor = {}) => call<Thread>('PUT', `${p(portalId)}/threads/${threadId}/status`, { status, ...actor }),
    closeThread: (portalId: number, threadId: number, actor: Actor = {}) => call<Thread>('PUT', `${p(portalId)}/threads/${threadId}/status`, { status: 'CLOSED', ...actor }),
    archiveThread: (portalId: number, threadId: number, actor: Actor = {}) => call<Thread>('DELETE', `${p(portalId)}/threads/${threadId}`, actor),
    threadMessages: (portalId: number, threadId: number) => call<{ messages: Message[] }>('GET', `${p(portalId)}/threads/${threadId}/messages`).then((r) => r.messages),
    /** Posts a message; by default an incoming customer message (INCOMING from the thread's contact). */
    postThreadMessage: (
      portalId: number,
      threadId: number,
      input: { text: string; type?: 'MESSAGE' | 'COMMENT'; direction?: 'INCOMING' | 'OUTGOING'; senderActorId?: string; subject?: string } & Actor,
    ) => call<Message>('POST', `${p(portalId)}/threads/${threadId}/messages`, input),

    /** The portal's help desk as an agent sees it: threads with their messages in order. */
    inboxThreads: (portalId: number) => call<{ threads: InboxThread[] }>('GET', `${p(portalId)}/inbox/threads`).then((r) => r.threads),
    /** An agent replies in a thread; on a custom channel thread HubSpot then calls the channel's webhook. */
    agentReply: (portalId: number, threadId: number, input: { userId: number; text: string; richText?: string }) =>
      call<{ message: InboxMessage }>('POST', `${p(portalId)}/inbox/threads/${threadId}/agent-reply`, input).then((r) => r.message),
    /** An agent assigns a thread to a user id, or unassigns it with null. */
    setInboxAssignee: (portalId: number, threadId: number, userId: number | null) =>
      call<{ thread: InboxThread }>('PUT', `${p(portalId)}/inbox/threads/${threadId}/assignee`, { userId }).then((r) => r.thread),
    /** An agent closes a thread. */
    closeInboxThread: (portalId: number, threadId: number) => call<{ thread: InboxThread }>('POST', `${p(portalId)}/inbox/threads/${threadId}/close`).then((r) => r.thread),
    /** An agent reopens a thread. */
    reopenInboxThread: (portalId: number, threadId: number) => call<{ thread: InboxThread }>('POST', `${p(portalId)}/inbox/threads/${threadId}/reopen`).then((r) => r.thread),
    /** Starts HubSpot's "connect channel" flow as an admin: the staging token and the URL HubSpot sends the admin to. */
    connectChannel: (portalId: number, channelId: number | string, input: { inboxId?: string; userId?: number } = {}) =>
      call<{ accountToken: string; redirectUrl: string }>('POST', `${p(portalId)}/custom-channels/${channelId}/connect`, input),
    /** Every registered custom channel and channel account (accounts with their portal id). */
    customChannels: () => call<{ channels: Record<string, unknown>[]; accounts: (Record<string, unknown> & { id: string; portalId: number })[] }>('GET', '/_emulator/custom-channels'),
    /** The next `lostPublishAnswers` custom channel publishes are stored, then answered 500 (a lost answer). */
    setChannelFaults: (input: { lostPublishAnswers: number }) => call<{ lostPublishAnswers: number }>('POST', '/_emulator/custom-channels/faults', input),
    /** Custom channel webhook events sent and every delivery attempt. */
    channelWebhooks: () => call<{ events: ({ type: string; eventId: string } & Record<string, unknown>)[]; deliveries: ChannelDelivery[] }>('GET', '/_emulator/custom-channels/webhooks'),
    /** Sends every custom channel event waiting for a retry now. */
    retryChannelWebhooks: () => call<{ retried: number }>('POST', '/_emulator/custom-channels/webhooks/retry-now'),
    /** Waits until no custom channel event is in flight or waiting for a retry. */
    waitChannelWebhooksIdle: (timeoutMs = 10_000) => call<{ idle: true }>('POST', `/_emulator/custom-channels/webhooks/wait-idle?timeoutMs=${timeoutMs}`),

    /**
     * Goes through the consent page like a browser: GET the page (it must render), POST the form.
     * @throws EmulatorClientError when the page refuses the install URL (400 error page)
     */
    async authorize(opts: AuthorizeOptions): Promise<AuthorizeResult> {
      const a = await app();
      const portalId = opts.portalId ?? 62515;
      const params = new URLSearchParams({
        client_id: opts.clientId ?? a.clientId,
        redirect_uri: opts.redirectUri,
        scope: (opts.scopes ?? a.requiredScopes).join(' '),
      });
      if (opts.optionalScopes?.length) params.set('optional_scope', opts.optionalScopes.join(' '));
      if (opts.state !== undefined) params.set('state', opts.state);
      const path = opts.hubIdInPath ? `/oauth/${portalId}/authorize` : '/oauth/authorize';
      const page = await fetch(`${base}${path}?${params.toString()}`);
      const html = await page.text();
      if (page.status !== 200) throw new EmulatorClientError(page.status, html, `GET ${path}`);
      const form = new URLSearchParams(params);
      form.set('action', opts.cancel ? 'cancel' : 'approve');
      form.set('portal_id', String(portalId));
      if (opts.userId !== undefined) form.set('user_id', String(opts.userId));
      const res = await fetch(`${base}${path}`, { method: 'POST', body: form, redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new EmulatorClientError(res.status, await res.text(), `POST ${path}`);
      const url = new URL(location);
      const pick = (name: string) => url.searchParams.get(name) ?? undefined;
      return { location, code: pick('code'), state: pick('state'), error: pick('error') };
    },

    /**
     * Exchanges a code at a token endpoint.
     * @throws EmulatorClientError with HubSpot's OAuth error body
     */
    async exchangeCode(code: string, redirectUri: string, version: 'v1' | 'v3' | '2026-03' = '2026-03'): Promise<TokenResponse> {
      const a = await app();
      return tokenCall(version, { grant_type: 'authorization_code', client_id: a.clientId, client_secret: a.clientSecret, redirect_uri: redirectUri, code });
    },

    /**
     * Refreshes at a token endpoint.
     * @throws EmulatorClientError with HubSpot's OAuth error body
     */
    async refresh(refreshToken: string, version: 'v1' | 'v3' | '2026-03' = '2026-03'): Promise<TokenResponse> {
      const a = await app();
      return tokenCall(version, { grant_type: 'refresh_token', client_id: a.clientId, client_secret: a.clientSecret, refresh_token: refreshToken });
    },

    /** The full install: consent (approve) then code exchange. */
    async installViaOAuth(opts: AuthorizeOptions): Promise<TokenResponse> {
      const result = await client.authorize(opts);
      if (!result.code) throw new Error(`consent gave no code: ${result.location}`);
      return client.exchangeCode(result.code, opts.redirectUri);
    },
  };

  async function tokenCall(version: string, form: Record<string, string>): Promise<TokenResponse> {
    const path = `/oauth/${version}/token`;
    const res = await fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(form) });
    const body: unknown = safeJson(await res.text());
    if (!res.ok) throw new EmulatorClientError(res.status, body, `POST ${path}`);
    return body as TokenResponse;
  }

  return client;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
