import { describe, expect, it } from '@jest/globals';
import { Alert, Button, EmptyState, ErrorState, LoadingButton, LoadingSpinner, StatusTag, Text, Tile } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { AiStateCard } from '../components/AiStateCard.js';
import { FetcherContext } from '../hooks/useCardsApi.js';
import {
  buildConversation,
  buildRecordResponse,
  buildTransition,
  createFakeBackend,
  deferred,
  jsonResponse,
  networkFailure,
  setTestIdentity,
  TEST_IDENTITY_QUERY,
} from '../test-utils/mocks.js';
import type { FakeBackend } from '../test-utils/mocks.js';

const TICKET_PATH = '/hubspot/ui/records/tickets/5001';

function renderCard(backend: FakeBackend, record: { objectTypeId?: string; objectId?: number } = {}) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectTypeId = record.objectTypeId ?? '0-5';
  renderer.mocks.context.crm.objectId = record.objectId ?? 5001;
  setTestIdentity(renderer.mocks.context);
  renderer.render(
    <FetcherContext.Provider value={backend.fetcher}>
      <AiStateCard />
    </FetcherContext.Provider>,
  );
  return renderer;
}

describe('AiStateCard: loading and what it fetches', () => {
  it('when the record is loading, then it shows a spinner and has asked for the ticket from the production origin', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend().on('GET', TICKET_PATH, answer.promise);
    const { findByTestId, maybeFind, waitFor } = renderCard(backend);

    expect(findByTestId(LoadingSpinner, 'card-loading').props.label).toBe('Loading the AI state…');
    expect(await backend.waitForCalls(1)).toStrictEqual([
      { method: 'GET', path: TICKET_PATH, url: `https://switchboard.example.com${TICKET_PATH}?${TEST_IDENTITY_QUERY}`, body: undefined },
    ]);

    answer.resolve(jsonResponse(200, buildRecordResponse()));
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
    expect(maybeFind(Tile)).not.toBeNull();
  });

  it('when the card is on a contact, then it asks for the contact', async () => {
    const backend = createFakeBackend().on('GET', '/hubspot/ui/records/contacts/7001', jsonResponse(200, buildRecordResponse()));
    const { maybeFind, waitFor } = renderCard(backend, { objectTypeId: '0-1', objectId: 7001 });

    await waitFor(() => expect(maybeFind(Tile)).not.toBeNull());
    expect(backend.calls.map((c) => `${c.method} ${c.path}`)).toStrictEqual(['GET /hubspot/ui/records/contacts/7001']);
  });

  it('when HubSpot passes the profile variable BACKEND_URL, then the card calls that origin', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse()));
    const renderer = createRenderer('crm.record.sidebar');
    renderer.mocks.context.crm.objectTypeId = '0-5';
    renderer.mocks.context.crm.objectId = 5001;
    setTestIdentity(renderer.mocks.context);
    renderer.mocks.context.variables = { BACKEND_URL: 'https://staging.switchboard.example.com/' };
    renderer.render(
      <FetcherContext.Provider value={backend.fetcher}>
        <AiStateCard />
      </FetcherContext.Provider>,
    );

    await renderer.waitFor(() => expect(renderer.maybeFind(Tile)).not.toBeNull());
    expect(backend.calls[0]?.url).toBe(`https://staging.switchboard.example.com${TICKET_PATH}?${TEST_IDENTITY_QUERY}`);
  });

  it('when the card is on an object type it does not support, then it says so and fetches nothing', () => {
    const backend = createFakeBackend();
    const { findByTestId } = renderCard(backend, { objectTypeId: '0-3' });

    expect(findByTestId(EmptyState, 'card-unsupported').props.title).toBe('Not available here');
    expect(backend.calls).toStrictEqual([]);
  });

  it('when the card runs in the help desk sidebar, then it loads the ticket the same way', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse()));
    const renderer = createRenderer('helpdesk.sidebar');
    renderer.mocks.context.crm.objectTypeId = '0-5';
    renderer.mocks.context.crm.objectId = 5001;
    setTestIdentity(renderer.mocks.context);
    renderer.render(
      <FetcherContext.Provider value={backend.fetcher}>
        <AiStateCard />
      </FetcherContext.Provider>,
    );

    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI active'));
    expect(backend.calls.map((c) => `${c.method} ${c.path}`)).toStrictEqual([`GET ${TICKET_PATH}`]);
  });
});

describe('AiStateCard: load failures', () => {
  it('when the backend answers 500, then it shows the error with Retry, and Retry loads again', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(500, { error: { code: 'server_error', message: 'Something went wrong on our side.' } }),
      jsonResponse(200, buildRecordResponse()),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'card-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'card-error').props.title).toBe("Couldn't load the AI state");
    expect(findByTestId(ErrorState, 'card-error').find(Text).text).toBe('Something went wrong on our side.');

    findByTestId(Button, 'card-retry').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(StatusTag, 'state-conv_1')).not.toBeNull());
    expect(backend.calls.map((c) => `${c.method} ${c.path}`)).toStrictEqual([`GET ${TICKET_PATH}`, `GET ${TICKET_PATH}`]);
  });

  it('when hubspot.fetch rejects (backend unreachable), then it shows a network error', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, networkFailure());
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'card-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'card-error').find(Text).text).toBe(
      'Switchboard could not be reached. Check your connection and try again.',
    );
  });

  it('when the backend rejects the signature (401), then it shows the backend message', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(401, { error: { code: 'signature_invalid', message: 'The request signature is invalid.' } }),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'card-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'card-error').find(Text).text).toBe('The request signature is invalid.');
  });

  it('when a non-2xx answer has no error body, then it shows the HTTP status', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, new Response('Bad gateway', { status: 502 }));
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'card-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'card-error').find(Text).text).toBe('Switchboard answered with an error (HTTP 502). Try again.');
  });

  it('when a 200 answer is not the record shape, then it shows an error instead of rendering garbage', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, { status: 'error', message: 'proxy' }));
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'card-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'card-error').find(Text).text).toBe('Switchboard sent an answer this card does not understand.');
  });
});

describe('AiStateCard: connection and conversation states', () => {
  it('when no conversation is linked, then it shows the empty state and no buttons', async () => {
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse({ conversations: [] })));
    const { findByTestId, maybeFindByTestId, findAll, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(EmptyState, 'card-empty')).not.toBeNull());
    expect(findByTestId(EmptyState, 'card-empty').props.title).toBe('No AI conversation');
    expect(findAll(LoadingButton)).toHaveLength(0);
    expect(maybeFindByTestId(Alert, 'card-reconnect')).toBeNull();
  });

  it('when the portal is not connected, then it says so and shows no conversation', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(200, buildRecordResponse({ connection: { status: 'not_connected', auth: null }, conversations: [] })),
    );
    const { findByTestId, maybeFindByTestId, maybeFind, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(EmptyState, 'card-not-connected')).not.toBeNull());
    expect(findByTestId(EmptyState, 'card-not-connected').props.title).toBe('Switchboard is not connected');
    expect(maybeFind(Tile)).toBeNull();
  });

  it('when the connection needs reauthorization, then it shows Reconnect needed above the conversations', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(200, buildRecordResponse({ connection: { status: 'needs_reauth', auth: 'oauth' } })),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(Alert, 'card-reconnect')).not.toBeNull());
    const alert = findByTestId(Alert, 'card-reconnect');
    expect(alert.props.title).toBe('Reconnect needed');
    expect(alert.text).toBe("HubSpot no longer accepts Switchboard's authorization. Reconnect HubSpot on the connection page of your AI platform.");
    expect(findByTestId(StatusTag, 'state-conv_1').text).toBe('AI active');
  });

  it('when the portal uses a legacy Private App, then it shows Reconnect needed with the migration advice', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(200, buildRecordResponse({ connection: { status: 'connected', auth: 'private_app' } })),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(Alert, 'card-reconnect')).not.toBeNull());
    expect(findByTestId(Alert, 'card-reconnect').text).toBe(
      'This account still uses a legacy Private App connection. Migrate it to OAuth on the connection page of your AI platform.',
    );
  });

  it('when one conversation is linked, then it shows its state, last transition, source, actor and reason', async () => {
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000 - 1_000).toISOString();
    const conversation = buildConversation({
      aiState: 'paused',
      lastTransition: buildTransition({ source: 'owner_change', actor: 'agent@example.com', reason: 'Ticket assigned to Dana', at: fiveMinutesAgo }),
    });
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse({ conversations: [conversation] })));
    const { findByTestId, maybeFindByTestId, find, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(StatusTag, 'state-conv_1')).not.toBeNull());
    expect(find(Tile).find(Text).text).toBe('Conversation chat-1001');
    expect(findByTestId(StatusTag, 'state-conv_1').props.variant).toBe('warning');
    expect(findByTestId(StatusTag, 'state-conv_1').text).toBe('AI paused');
    expect(findByTestId(Text, 'last-transition-conv_1').text).toBe('Paused by agent@example.com via an owner change, 5 minutes ago.');
    expect(findByTestId(Text, 'reason-conv_1').text).toBe('Reason: Ticket assigned to Dana');
  });

  it('when several conversations are linked, then it shows each with its own state and source', async () => {
    const conversations = [
      buildConversation({ id: 'conv_1', externalId: 'chat-1', aiState: 'active' }),
      buildConversation({
        id: 'conv_2',
        externalId: 'chat-2',
        aiState: 'handoff_requested',
        lastTransition: buildTransition({ to: 'handoff_requested', source: 'workflow', actor: null, at: '2025-05-01T08:00:00.000Z' }),
      }),
      buildConversation({
        id: 'conv_3',
        externalId: 'chat-3',
        aiState: 'paused',
        lastTransition: buildTransition({ source: 'card', actor: 'lee@example.com', at: '2025-05-02T08:00:00.000Z' }),
      }),
    ];
    const backend = createFakeBackend().on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse({ conversations })));
    const { findAll, findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(StatusTag, 'state-conv_3')).not.toBeNull());
    expect(findAll(Tile)).toHaveLength(3);
    expect(findAll(StatusTag).map((tag) => tag.text)).toStrictEqual(['AI active', 'Handoff requested', 'AI paused']);
    expect(findByTestId(Text, 'last-transition-conv_1').text).toBe('No change recorded yet.');
    expect(findByTestId(Text, 'last-transition-conv_2').text).toBe('Handoff requested via a workflow, on 2025-05-01.');
    expect(findByTestId(Text, 'last-transition-conv_3').text).toBe('Paused by lee@example.com via the HubSpot card, on 2025-05-02.');
  });

  it('when Refresh is clicked, then it loads the record again and shows the new state', async () => {
    const backend = createFakeBackend().on(
      'GET',
      TICKET_PATH,
      jsonResponse(200, buildRecordResponse()),
      jsonResponse(200, buildRecordResponse({ conversations: [buildConversation({ aiState: 'paused' })] })),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(backend);

    await waitFor(() => expect(maybeFindByTestId(StatusTag, 'state-conv_1')).not.toBeNull());
    findByTestId(Button, 'card-refresh').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(StatusTag, 'state-conv_1')?.text).toBe('AI paused'));
    expect(backend.calls).toHaveLength(2);
  });
});
