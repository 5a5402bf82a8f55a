/**
 * @fileoverview Test factories for the cards and the settings page.
 *
 * The UI calls the backend only through a `Fetcher` read from React context, so tests render inside
 * `<FetcherContext.Provider value={backend.fetcher}>` with a fake backend from {@link createFakeBackend}
 * and assert both what is shown and what was fetched (`backend.calls`). No module is mocked.
 *
 * - `build*` functions return realistic contract objects; pass overrides for what the test is about.
 * - {@link createFakeBackend} answers by `METHOD /path`; queue several answers to script retries.
 * - {@link deferred} holds an answer back, to observe loading states.
 */
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import type { Fetcher } from '../utils/api.js';
import type { Conversation, HandoffTeam, HelpdeskResponse, RecordResponse, SettingsResponse, Transition } from '../utils/contract.js';

// =============================================================================
// CONTRACT OBJECTS
// =============================================================================

/** A fixed ISO time used by the builders; tests that show "N minutes ago" pass their own. */
export const FIXED_TIME = '2025-06-01T10:00:00.000Z';

/**
 * A transition: by default, paused by an owner change.
 * @param overrides fields to change
 * @returns the transition
 */
export function buildTransition(overrides: Partial<Transition> = {}): Transition {
  return { from: 'active', to: 'paused', source: 'owner_change', actor: 'agent@example.com', reason: null, at: FIXED_TIME, ...overrides };
}

/**
 * A conversation linked to ticket 5001: by default active, never changed.
 * @param overrides fields to change
 * @returns the conversation
 */
export function buildConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv_1',
    externalId: 'chat-1001',
    ticketId: '5001',
    contactId: '7001',
    threadId: null,
    aiState: 'active',
    updatedAt: FIXED_TIME,
    lastTransition: null,
    ...overrides,
  };
}

/**
 * The record answer: by default an OAuth connection and one active conversation.
 * @param overrides fields to change
 * @returns the answer of `GET /hubspot/ui/records/:objectType/:objectId`
 */
export function buildRecordResponse(overrides: Partial<RecordResponse> = {}): RecordResponse {
  return { connection: { status: 'connected', auth: 'oauth' }, conversations: [buildConversation()], ...overrides };
}

/**
 * A handoff team.
 * @param overrides fields to change
 * @returns the team
 */
export function buildTeam(overrides: Partial<HandoffTeam> = {}): HandoffTeam {
  return { id: '11', name: 'Tier 2 support', ...overrides };
}

/**
 * The settings answer: by default a healthy OAuth connection, pause on owner change on, one team.
 * @param overrides fields to change (`connection` and `settings` are merged one level deep)
 * @returns the answer of `GET /hubspot/ui/settings`
 */
export function buildSettingsResponse(
  overrides: { connection?: Partial<SettingsResponse['connection']>; settings?: Partial<SettingsResponse['settings']>; dashboardUrl?: string | null } = {},
): SettingsResponse {
  return {
    connection: {
      status: 'connected',
      auth: 'oauth',
      portalId: 12345678,
      scopes: ['oauth', 'tickets', 'conversations.read'],
      lastRefreshAt: FIXED_TIME,
      lastError: null,
      ...overrides.connection,
    },
    settings: { pauseOnOwnerChange: true, handoffTeams: [buildTeam()], ...overrides.settings },
    dashboardUrl: overrides.dashboardUrl === undefined ? 'https://vendor.example.com/dashboard' : overrides.dashboardUrl,
  };
}

/**
 * The help-desk answer: by default ready to connect, with two inboxes to pick from.
 * @param overrides fields to change
 * @returns the answer of `GET /hubspot/ui/helpdesk`
 */
export function buildHelpdeskResponse(overrides: Partial<HelpdeskResponse> = {}): HelpdeskResponse {
  return {
    state: 'ready_to_connect',
    missingScopes: [],
    reconnectUrl: null,
    account: null,
    inboxes: [
      { id: '147959634', name: 'Help Desk' },
      { id: '147959635', name: 'Support inbox' },
    ],
    inboxesError: null,
    failedMessages: 0,
    ...overrides,
  };
}

// =============================================================================
// IDENTITY
// =============================================================================

/** The portal and user the test renderers show the UI to; the email needs escaping (`+`, `@`, `'`). */
export const TEST_IDENTITY = Object.freeze({ portalId: 62515, userId: 864745280, userEmail: "jane+o'brien@example.com" });

/** The query every backend call must end with for {@link TEST_IDENTITY}, escaped as the UI escapes it. */
export const TEST_IDENTITY_QUERY = "portalId=62515&userId=864745280&userEmail=jane%2Bo'brien%40example.com";

/**
 * Puts {@link TEST_IDENTITY} into a test renderer's extension context (`portal.id`, `user.id`, `user.email`).
 * @param context `renderer.mocks.context`
 */
export function setTestIdentity(context: { portal: { id: number }; user: { id: number; email: string } }): void {
  context.portal.id = TEST_IDENTITY.portalId;
  context.user.id = TEST_IDENTITY.userId;
  context.user.email = TEST_IDENTITY.userEmail;
}

// =============================================================================
// FAKE BACKEND
// =============================================================================

/** One request the UI made, as the backend would see it. */
export interface RecordedCall {
  method: string;
  /** Path without origin or query, e.g. `/hubspot/ui/records/tickets/5001`. */
  path: string;
  /** The full URL the UI asked for. */
  url: string;
  body: unknown;
}

/** What a route answers: a Response, a promise of one (see {@link deferred}), or a thrown network error. */
export type FakeAnswer = Response | Promise<Response> | (() => Response | Promise<Response>);

/** A scripted backend behind a Fetcher. */
export interface FakeBackend {
  /** Hand this to `FetcherContext.Provider`. */
  fetcher: Fetcher;
  /** Every request, in order. */
  calls: RecordedCall[];
  /**
   * Scripts a route. Answers are used in order; the last one repeats.
   * @param method HTTP method
   * @param path exact path, without origin or query
   * @param answers the answers
   * @returns the backend, for chaining
   */
  on(method: string, path: string, ...answers: FakeAnswer[]): FakeBackend;
  /**
   * Resolves once the UI has made `count` requests; effects fetch after the first render, so this
   * replaces polling or sleeping.
   * @param count how many requests to wait for
   * @returns the calls so far
   */
  waitForCalls(count: number): Promise<RecordedCall[]>;
}

/**
 * A fake backend. Unscripted routes answer 404 `not_found` so a wrong URL fails loudly.
 * @returns the backend
 */
export function createFakeBackend(): FakeBackend {
  const routes = new Map<string, FakeAnswer[]>();
  const calls: RecordedCall[] = [];
  const waiters: { count: number; resolve: (calls: RecordedCall[]) => void }[] = [];
  const backend: FakeBackend = {
    calls,
    waitForCalls(count) {
      if (calls.length >= count) return Promise.resolve(calls);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    on(method, path, ...answers) {
      routes.set(`${method} ${path}`, answers);
      return backend;
    },
    fetcher: async (url: string, options?: HubSpotFetchOptions) => {
      const method = options?.method ?? 'GET';
      const path = new URL(url).pathname;
      calls.push({ method, path, url, body: options?.body });
      for (const waiter of waiters.filter((w) => calls.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(calls);
      }
      const queue = routes.get(`${method} ${path}`);
      if (!queue || queue.length === 0) return jsonResponse(404, { error: { code: 'not_found', message: `No fake for ${method} ${path}` } });
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      return typeof answer === 'function' ? answer() : await answer!;
    },
  };
  return backend;
}

/**
 * A JSON response.
 * @param status HTTP status
 * @param body JSON body
 * @returns the Response
 */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/**
 * An answer that fails like `hubspot.fetch` does when the backend cannot be reached.
 * @returns a function for {@link FakeBackend.on} that rejects
 */
export function networkFailure(): () => Promise<Response> {
  return () => Promise.reject(new TypeError('fetch failed'));
}

// =============================================================================
// RENDERER HELPERS
// =============================================================================

/**
 * Fires an event handler with its argument, e.g. a Toggle's `onChange(false)`.
 * In UI extensions 0.17, `trigger(name, arg)` types `arg` as the handler itself, while the runtime
 * (testing/internal/element.js) calls `handler(arg)`; this wrapper types the argument correctly.
 * @param node a rendered element
 * @param eventPropName e.g. `onChange`
 * @param arg what the handler receives
 */
export function fireEvent(node: { trigger: (eventPropName: never, eventArg?: never) => void }, eventPropName: string, arg: unknown): void {
  (node.trigger as (eventPropName: string, eventArg?: unknown) => void)(eventPropName, arg);
}

/** A promise with its resolve function outside, to hold an answer back. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

/**
 * Creates a {@link Deferred}.
 * @returns the promise and its resolver
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
