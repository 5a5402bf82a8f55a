import { describe, expect, it } from '@jest/globals';
import { Alert, Button, Link, LoadingButton, Select, StatusTag, Text, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsView } from '../components/SettingsView.js';
import { SettingsFetcherContext } from '../hooks/useSettingsApi.js';
import { buildHelpdeskResponse, buildSettingsResponse, createFakeBackend, deferred, fireEvent, jsonResponse, setTestIdentity, TEST_IDENTITY_QUERY } from '../../cards/test-utils/mocks.js';
import type { FakeBackend } from '../../cards/test-utils/mocks.js';

const SETTINGS_PATH = '/hubspot/ui/settings';
const HELPDESK_PATH = '/hubspot/ui/helpdesk';
const CONNECT_PATH = '/hubspot/ui/helpdesk/connect';
const ORIGIN = 'https://switchboard.example.com';
const RECONNECT_URL = 'https://app.hubspot.com/oauth/12345678/authorize?client_id=abc&scope=oauth';

function backendWith(...helpdesk: Response[]): FakeBackend {
  return createFakeBackend()
    .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()))
    .on('GET', HELPDESK_PATH, ...helpdesk);
}

async function renderLoaded(backend: FakeBackend) {
  const renderer = createRenderer('settings');
  setTestIdentity(renderer.mocks.context);
  renderer.render(
    <SettingsFetcherContext.Provider value={backend.fetcher}>
      <SettingsView />
    </SettingsFetcherContext.Provider>,
  );
  await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Toggle, 'pause-on-owner-change')).not.toBeNull());
  await renderer.waitFor(() => expect(backend.calls.some((c) => c.path === HELPDESK_PATH)).toBe(true));
  return renderer;
}

const connected = buildHelpdeskResponse({ state: 'connected', account: { inboxId: '147959634', inboxName: 'Help Desk', connectedAt: '2025-06-01T10:00:00.000Z' } });

describe('SettingsPage: help desk', () => {
  it('when the channel can be connected, then it lists the inboxes; picking one and Connect POSTs the inbox id with the page identity, spins while connecting, then shows the inbox', async () => {
    const answer = deferred<Response>();
    const backend = backendWith(jsonResponse(200, buildHelpdeskResponse())).on('POST', CONNECT_PATH, answer.promise);
    const r = await renderLoaded(backend);
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).not.toBeNull());
    const picker = () => r.findByTestId(Select, 'helpdesk-inbox');
    const button = () => r.findByTestId(LoadingButton, 'helpdesk-connect');

    expect(backend.calls.find((c) => c.path === HELPDESK_PATH)).toStrictEqual({ method: 'GET', path: HELPDESK_PATH, url: `${ORIGIN}${HELPDESK_PATH}?${TEST_IDENTITY_QUERY}`, body: undefined });
    expect(r.findByTestId(StatusTag, 'helpdesk-status').text).toBe('Not connected');
    expect(picker().props).toMatchObject({
      label: 'Inbox or help desk',
      value: undefined,
      options: [
        { label: 'Help Desk', value: '147959634' },
        { label: 'Support inbox', value: '147959635' },
      ],
    });
    expect(button().props.disabled).toBe(true);
    expect(button().text).toBe('Connect the channel');

    fireEvent(picker(), 'onChange', '147959634');
    await r.waitFor(() => expect(button().props.disabled).toBe(false));
    button().trigger('onClick');

    await r.waitFor(() => expect(button().props.loading).toBe(true));
    expect(picker().props.readOnly).toBe(true);
    expect(backend.calls.find((c) => c.path === CONNECT_PATH)).toStrictEqual({ method: 'POST', path: CONNECT_PATH, url: `${ORIGIN}${CONNECT_PATH}?${TEST_IDENTITY_QUERY}`, body: { inboxId: '147959634' } });

    answer.resolve(jsonResponse(200, connected));
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-connected')).not.toBeNull());
    expect(r.findByTestId(Alert, 'helpdesk-connected').text).toBe("The AI's conversations now go to Help Desk.");
    expect(r.findByTestId(StatusTag, 'helpdesk-status').text).toBe('Connected');
    expect(r.findByTestId(Text, 'helpdesk-state').text).toBe('Connected to inbox Help Desk.');
    expect(button().props).toMatchObject({ disabled: true, loading: false });
    expect(button().text).toBe('Move the channel to this inbox');
  });

  it('when connecting fails, then it shows the backend’s message and keeps the choice', async () => {
    const backend = backendWith(jsonResponse(200, buildHelpdeskResponse())).on(
      'POST',
      CONNECT_PATH,
      jsonResponse(404, { error: { code: 'not_found', message: 'This HubSpot account has no inbox or help desk with this id' } }),
    );
    const r = await renderLoaded(backend);
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).not.toBeNull());

    fireEvent(r.findByTestId(Select, 'helpdesk-inbox'), 'onChange', '147959635');
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'helpdesk-connect').props.disabled).toBe(false));
    r.findByTestId(LoadingButton, 'helpdesk-connect').trigger('onClick');

    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-connect-error')).not.toBeNull());
    expect(r.findByTestId(Alert, 'helpdesk-connect-error').text).toBe('This HubSpot account has no inbox or help desk with this id');
    expect(r.findByTestId(Select, 'helpdesk-inbox').props.value).toBe('147959635');
    expect(r.findByTestId(StatusTag, 'helpdesk-status').text).toBe('Not connected');
  });

  it('when the channel is connected, then it names the inbox and preselects it', async () => {
    const r = await renderLoaded(backendWith(jsonResponse(200, connected)));
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).not.toBeNull());

    expect(r.findByTestId(Text, 'helpdesk-state').text).toBe('Connected to inbox Help Desk.');
    expect(r.findByTestId(Select, 'helpdesk-inbox').props.value).toBe('147959634');
    expect(r.findByTestId(LoadingButton, 'helpdesk-connect').props.disabled).toBe(true);
  });

  it('when scopes are missing, then it lists them and links to the reconnect in a new tab, with no picker', async () => {
    const r = await renderLoaded(
      backendWith(jsonResponse(200, buildHelpdeskResponse({ state: 'needs_scopes', missingScopes: ['conversations.custom_channels.read', 'conversations.custom_channels.write'], reconnectUrl: RECONNECT_URL, inboxes: null }))),
    );
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-needs-scopes')).not.toBeNull());

    expect(r.findByTestId(Alert, 'helpdesk-needs-scopes').props).toMatchObject({ title: 'Needs these scopes', variant: 'warning' });
    expect(r.findByTestId(Text, 'helpdesk-missing-scopes').text).toBe('Missing scopes: conversations.custom_channels.read, conversations.custom_channels.write');
    const link = r.findByTestId(Link, 'helpdesk-reconnect');
    expect(link.props.href).toStrictEqual({ url: RECONNECT_URL, external: true });
    expect(link.text).toBe('Reconnect with HubSpot');
    expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).toBeNull();
  });

  it('when HubSpot did not list the inboxes, then it says why instead of the picker', async () => {
    const r = await renderLoaded(backendWith(jsonResponse(200, buildHelpdeskResponse({ inboxes: null, inboxesError: 'HubSpot is not answering right now. Try again in a minute.' }))));
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-inboxes-error')).not.toBeNull());

    expect(r.findByTestId(Alert, 'helpdesk-inboxes-error').text).toBe('HubSpot is not answering right now. Try again in a minute.');
    expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).toBeNull();
  });

  it.each([
    ['not_connected', 'Not available', 'Connect HubSpot to Switchboard first.'],
    ['channel_not_registered', 'Not set up', 'The help-desk channel is not registered with HubSpot yet. Your AI platform registers it once.'],
  ] as const)('when the state is %s, then it says so with no picker', async (state, tag, text) => {
    const r = await renderLoaded(backendWith(jsonResponse(200, buildHelpdeskResponse({ state, inboxes: null }))));
    await r.waitFor(() => expect(r.maybeFindByTestId(StatusTag, 'helpdesk-status')).not.toBeNull());

    expect(r.findByTestId(StatusTag, 'helpdesk-status').text).toBe(tag);
    expect(r.findByTestId(Text, 'helpdesk-state').text).toBe(text);
    expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).toBeNull();
  });

  it('when messages failed for good, then it warns with their count', async () => {
    const r = await renderLoaded(backendWith(jsonResponse(200, { ...connected, failedMessages: 3 })));
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-failed')).not.toBeNull());

    expect(r.findByTestId(Alert, 'helpdesk-failed').text).toBe('3 messages could not be published to HubSpot after every retry. Your AI platform lists them with their reason.');
  });

  it('when loading the section fails, then only the section shows the error, and Retry loads it again', async () => {
    const backend = backendWith(jsonResponse(503, { error: { code: 'hubspot_unavailable', message: 'HubSpot is not answering right now.' } }), jsonResponse(200, buildHelpdeskResponse()));
    const r = await renderLoaded(backend);
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-error')).not.toBeNull());

    expect(r.findByTestId(Alert, 'helpdesk-error').text).toBe('HubSpot is not answering right now.');
    expect(r.findByTestId(Toggle, 'pause-on-owner-change').props.checked).toBe(true);

    r.findByTestId(Button, 'helpdesk-retry').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'helpdesk-inbox')).not.toBeNull());
    expect(backend.calls.filter((c) => c.path === HELPDESK_PATH)).toHaveLength(2);
  });

  it('when a 200 answer is not the help-desk shape, then the section shows an error', async () => {
    const r = await renderLoaded(backendWith(jsonResponse(200, { status: 'ok' })));
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'helpdesk-error')).not.toBeNull());

    expect(r.findByTestId(Alert, 'helpdesk-error').text).toBe('Switchboard sent an answer this page does not understand.');
  });
});
