import { describe, expect, it } from '@jest/globals';
import { Alert, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { AiStateCard } from '../components/AiStateCard.js';
import { FetcherContext } from '../hooks/useCardsApi.js';
import type { AiState, Conversation } from '../utils/contract.js';
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
const conversationPath = (id: string, action: string) => `/hubspot/ui/conversations/${id}/${action}`;

async function renderLoaded(backend: FakeBackend, conversations: Conversation[]) {
  backend.on('GET', TICKET_PATH, jsonResponse(200, buildRecordResponse({ conversations })));
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.crm.objectTypeId = '0-5';
  renderer.mocks.context.crm.objectId = 5001;
  setTestIdentity(renderer.mocks.context);
  renderer.render(
    <FetcherContext.Provider value={backend.fetcher}>
      <AiStateCard />
    </FetcherContext.Provider>,
  );
  const lastId = conversations.at(-1)?.id ?? '';
  await renderer.waitFor(() => expect(renderer.maybeFindByTestId(StatusTag, `state-${lastId}`)).not.toBeNull());
  return renderer;
}

type Renderer = Awaited<ReturnType<typeof renderLoaded>>;

function enabledButtons(renderer: Renderer, id = 'conv_1'): string[] {
  return ['pause', 'resume', 'handoff'].filter((action) => !renderer.findByTestId(LoadingButton, `${action}-${id}`).props.disabled);
}

function transitioned(to: AiState): Conversation {
  return buildConversation({ aiState: to, lastTransition: buildTransition({ to, source: 'card', actor: 'me@example.com' }) });
}

describe('AiStateCard: which actions are offered', () => {
  it.each<[AiState, string[]]>([
    ['active', ['pause', 'handoff']],
    ['paused', ['resume', 'handoff']],
    ['handoff_requested', ['resume']],
  ])('when the AI is %s, then only %j are enabled', async (aiState, enabled) => {
    const renderer = await renderLoaded(createFakeBackend(), [buildConversation({ aiState })]);

    expect(enabledButtons(renderer)).toStrictEqual(enabled);
    expect(renderer.findAll(LoadingButton).map((b) => b.text)).toStrictEqual(['Pause AI', 'Resume AI', 'Request handoff']);
  });
});

describe('AiStateCard: Pause, Resume, Request handoff', () => {
  it('when Pause is clicked, then it shows a spinner on Pause, disables the others, posts pause, and shows the paused state', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend().on('POST', conversationPath('conv_1', 'pause'), answer.promise);
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'active' })]);

    renderer.findByTestId(LoadingButton, 'pause-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.findByTestId(LoadingButton, 'pause-conv_1').props.loading).toBe(true));
    expect(enabledButtons(renderer)).toStrictEqual([]);
    const calls = await backend.waitForCalls(2);
    expect(calls[1]).toStrictEqual({
      method: 'POST',
      path: conversationPath('conv_1', 'pause'),
      url: `https://switchboard.example.com${conversationPath('conv_1', 'pause')}?${TEST_IDENTITY_QUERY}`,
      body: {},
    });

    answer.resolve(jsonResponse(200, { conversation: transitioned('paused') }));
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'action-success-conv_1')).not.toBeNull());
    expect(renderer.findByTestId(Alert, 'action-success-conv_1').text).toBe('The AI is paused on this conversation.');
    expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI paused');
    expect(renderer.findByTestId(Text, 'last-transition-conv_1').text).toMatch(/^Paused by me@example\.com via the HubSpot card, /);
    expect(renderer.findByTestId(LoadingButton, 'pause-conv_1').props.loading).toBe(false);
    expect(enabledButtons(renderer)).toStrictEqual(['resume', 'handoff']);
  });

  it('when Resume is clicked on a paused conversation, then it posts resume and shows the AI active again', async () => {
    const backend = createFakeBackend().on('POST', conversationPath('conv_1', 'resume'), jsonResponse(200, { conversation: transitioned('active') }));
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'paused' })]);

    renderer.findByTestId(LoadingButton, 'resume-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI active'));
    expect(backend.calls.map((c) => `${c.method} ${c.path}`)).toStrictEqual([`GET ${TICKET_PATH}`, `POST ${conversationPath('conv_1', 'resume')}`]);
    expect(backend.calls[1]?.body).toStrictEqual({});
    expect(renderer.findByTestId(Alert, 'action-success-conv_1').text).toBe('The AI is answering again on this conversation.');
    expect(enabledButtons(renderer)).toStrictEqual(['pause', 'handoff']);
  });

  it('when Request handoff is clicked, then it posts handoff and shows Handoff requested with only Resume left', async () => {
    const backend = createFakeBackend().on(
      'POST',
      conversationPath('conv_1', 'handoff'),
      jsonResponse(200, { conversation: transitioned('handoff_requested') }),
    );
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'active' })]);

    renderer.findByTestId(LoadingButton, 'handoff-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('Handoff requested'));
    expect(backend.calls[1]).toMatchObject({ method: 'POST', path: conversationPath('conv_1', 'handoff'), body: {} });
    expect(renderer.findByTestId(Alert, 'action-success-conv_1').text).toBe(
      'Handoff requested: the AI stopped and your team was asked to take over.',
    );
    expect(enabledButtons(renderer)).toStrictEqual(['resume']);
  });

  it('when the backend answers 409 invalid_transition, then it shows its message and keeps the shown state', async () => {
    const backend = createFakeBackend().on(
      'POST',
      conversationPath('conv_1', 'pause'),
      jsonResponse(409, { error: { code: 'invalid_transition', message: 'A handoff was requested; resume the AI first.' } }),
    );
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'active' })]);

    renderer.findByTestId(LoadingButton, 'pause-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'action-error-conv_1')).not.toBeNull());
    const alert = renderer.findByTestId(Alert, 'action-error-conv_1');
    expect(alert.props).toMatchObject({ title: 'Pause AI failed', variant: 'error' });
    expect(alert.text).toBe('A handoff was requested; resume the AI first.');
    expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI active');
    expect(enabledButtons(renderer)).toStrictEqual(['pause', 'handoff']);
  });

  it('when the backend cannot be reached during an action, then it shows a network error and the buttons come back', async () => {
    const backend = createFakeBackend().on('POST', conversationPath('conv_1', 'resume'), networkFailure());
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'handoff_requested' })]);

    renderer.findByTestId(LoadingButton, 'resume-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'action-error-conv_1')).not.toBeNull());
    expect(renderer.findByTestId(Alert, 'action-error-conv_1').props.title).toBe('Resume AI failed');
    expect(renderer.findByTestId(Alert, 'action-error-conv_1').text).toBe(
      'Switchboard could not be reached. Check your connection and try again.',
    );
    expect(enabledButtons(renderer)).toStrictEqual(['resume']);
  });

  it('when a failed action is retried and succeeds, then the error gives way to the success message', async () => {
    const backend = createFakeBackend().on(
      'POST',
      conversationPath('conv_1', 'pause'),
      jsonResponse(503, { error: { code: 'hubspot_unavailable', message: 'HubSpot is not answering. Try again shortly.' } }),
      jsonResponse(200, { conversation: transitioned('paused') }),
    );
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'active' })]);

    renderer.findByTestId(LoadingButton, 'pause-conv_1').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'action-error-conv_1')).not.toBeNull());
    renderer.findByTestId(LoadingButton, 'pause-conv_1').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'action-success-conv_1')).not.toBeNull());
    expect(renderer.maybeFindByTestId(Alert, 'action-error-conv_1')).toBeNull();
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('when Pause is clicked twice before the answer, then only one request is sent', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend().on('POST', conversationPath('conv_1', 'pause'), answer.promise);
    const renderer = await renderLoaded(backend, [buildConversation({ aiState: 'active' })]);

    const pause = renderer.findByTestId(LoadingButton, 'pause-conv_1');
    pause.trigger('onClick');
    pause.trigger('onClick');
    answer.resolve(jsonResponse(200, { conversation: transitioned('paused') }));

    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI paused'));
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('when several conversations are linked, then an action changes only the one it was clicked on', async () => {
    const second = buildConversation({ id: 'conv_2', externalId: 'chat-2', aiState: 'active' });
    const backend = createFakeBackend().on(
      'POST',
      conversationPath('conv_2', 'pause'),
      jsonResponse(200, { conversation: { ...second, aiState: 'paused', lastTransition: buildTransition({ source: 'card' }) } }),
    );
    const renderer = await renderLoaded(backend, [buildConversation({ id: 'conv_1', aiState: 'active' }), second]);

    renderer.findByTestId(LoadingButton, 'pause-conv_2').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.findByTestId(StatusTag, 'state-conv_2').text).toBe('AI paused'));
    expect(renderer.findByTestId(StatusTag, 'state-conv_1').text).toBe('AI active');
    expect(renderer.maybeFindByTestId(Alert, 'action-success-conv_1')).toBeNull();
    expect(backend.calls[1]?.path).toBe(conversationPath('conv_2', 'pause'));
  });
});
