import { describe, expect, it } from '@jest/globals';
import { Alert, Button, ErrorState, Link, LoadingButton, LoadingSpinner, MultiSelect, StatusTag, Text, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsView } from '../components/SettingsView.js';
import { SettingsFetcherContext } from '../hooks/useSettingsApi.js';
import {
  buildSettingsResponse,
  buildTeam,
  createFakeBackend,
  deferred,
  fireEvent,
  jsonResponse,
  networkFailure,
  setTestIdentity,
  TEST_IDENTITY_QUERY,
} from '../../cards/test-utils/mocks.js';
import type { FakeBackend } from '../../cards/test-utils/mocks.js';

const SETTINGS_PATH = '/hubspot/ui/settings';
// Every call carries the page's identity from the extension context, escaped.
const SETTINGS_URL = `https://switchboard.example.com${SETTINGS_PATH}?${TEST_IDENTITY_QUERY}`;

/** The calls to the settings route only (the help-desk section loads alongside). */
const settingsCalls = (backend: FakeBackend) => backend.calls.filter((c) => c.path === SETTINGS_PATH);

function renderSettings(backend: FakeBackend, userTeams: { id: number; name: string }[] = []) {
  const renderer = createRenderer('settings');
  setTestIdentity(renderer.mocks.context);
  renderer.mocks.context.user.teams = userTeams.map((team) => ({ ...team, teammates: [] }));
  renderer.render(
    <SettingsFetcherContext.Provider value={backend.fetcher}>
      <SettingsView />
    </SettingsFetcherContext.Provider>,
  );
  return renderer;
}

async function renderLoaded(backend: FakeBackend, userTeams: { id: number; name: string }[] = []) {
  const renderer = renderSettings(backend, userTeams);
  await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Toggle, 'pause-on-owner-change')).not.toBeNull());
  return renderer;
}

describe('SettingsPage: loading', () => {
  it('when the settings are loading, then it shows a spinner and has asked for GET /hubspot/ui/settings', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, answer.promise);
    const { findByTestId, maybeFind, waitFor } = renderSettings(backend);

    expect(findByTestId(LoadingSpinner, 'settings-loading').props.label).toBe('Loading Switchboard settings…');
    expect(await backend.waitForCalls(1)).toStrictEqual([{ method: 'GET', path: SETTINGS_PATH, url: SETTINGS_URL, body: undefined }]);

    answer.resolve(jsonResponse(200, buildSettingsResponse()));
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
  });

  it('when the backend fails, then it shows the error with Retry, and Retry loads again', async () => {
    const backend = createFakeBackend().on(
      'GET',
      SETTINGS_PATH,
      jsonResponse(500, { error: { code: 'server_error', message: 'Something went wrong on our side.' } }),
      jsonResponse(200, buildSettingsResponse()),
    );
    const { findByTestId, maybeFindByTestId, waitFor } = renderSettings(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'settings-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'settings-error').find(Text).text).toBe('Something went wrong on our side.');

    findByTestId(Button, 'settings-retry').trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Toggle, 'pause-on-owner-change')).not.toBeNull());
    expect(settingsCalls(backend)).toHaveLength(2);
  });

  it('when the backend cannot be reached, then it shows a network error', async () => {
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, networkFailure());
    const { findByTestId, maybeFindByTestId, waitFor } = renderSettings(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'settings-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'settings-error').find(Text).text).toBe('Switchboard could not be reached. Check your connection and try again.');
  });

  it('when a 200 answer is not the settings shape, then it shows an error', async () => {
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, jsonResponse(200, { status: 'error' }));
    const { findByTestId, maybeFindByTestId, waitFor } = renderSettings(backend);

    await waitFor(() => expect(maybeFindByTestId(ErrorState, 'settings-error')).not.toBeNull());
    expect(findByTestId(ErrorState, 'settings-error').find(Text).text).toBe('Switchboard sent an answer this page does not understand.');
  });
});

describe('SettingsPage: connection health', () => {
  it('when the connection is healthy OAuth, then it shows Connected, the portal, scopes and last refresh, and no alert', async () => {
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()));
    const { findByTestId, maybeFindByTestId } = await renderLoaded(backend);

    expect(findByTestId(StatusTag, 'connection-status').props.variant).toBe('success');
    expect(findByTestId(StatusTag, 'connection-status').text).toBe('Connected');
    expect(findByTestId(Text, 'connection-auth').text).toBe('OAuth');
    expect(findByTestId(Text, 'connection-portal').text).toBe('12345678');
    expect(findByTestId(Text, 'connection-refresh').text).toBe('2025-06-01 10:00 UTC');
    expect(findByTestId(Text, 'connection-scopes').text).toBe('Granted scopes: oauth, tickets, conversations.read');
    expect(maybeFindByTestId(Alert, 'connection-alert')).toBeNull();
  });

  it('when the connection needs reauthorization, then it shows Needs reconnect and the last error', async () => {
    const backend = createFakeBackend().on(
      'GET',
      SETTINGS_PATH,
      jsonResponse(200, buildSettingsResponse({ connection: { status: 'needs_reauth', lastError: 'invalid_grant' } })),
    );
    const { findByTestId } = await renderLoaded(backend);

    expect(findByTestId(StatusTag, 'connection-status').text).toBe('Needs reconnect');
    expect(findByTestId(Alert, 'connection-alert').props.title).toBe('Reconnect needed');
    expect(findByTestId(Alert, 'connection-alert').text).toBe(
      "HubSpot no longer accepts Switchboard's authorization (invalid_grant). Reconnect from the Switchboard dashboard.",
    );
  });

  it('when the portal uses a Private App, then it shows Action recommended', async () => {
    const backend = createFakeBackend().on(
      'GET',
      SETTINGS_PATH,
      jsonResponse(200, buildSettingsResponse({ connection: { auth: 'private_app', lastRefreshAt: null } })),
    );
    const { findByTestId } = await renderLoaded(backend);

    expect(findByTestId(Text, 'connection-auth').text).toBe('Private App (legacy)');
    expect(findByTestId(Text, 'connection-refresh').text).toBe('Never');
    expect(findByTestId(Alert, 'connection-alert').props).toMatchObject({ title: 'Action recommended', variant: 'warning' });
  });

  it('when the portal is not connected, then it says so', async () => {
    const backend = createFakeBackend().on(
      'GET',
      SETTINGS_PATH,
      jsonResponse(200, buildSettingsResponse({ connection: { status: 'not_connected', auth: null, portalId: null, scopes: [] } })),
    );
    const { findByTestId } = await renderLoaded(backend);

    expect(findByTestId(StatusTag, 'connection-status').text).toBe('Not connected');
    expect(findByTestId(Text, 'connection-portal').text).toBe('—');
    expect(findByTestId(Text, 'connection-scopes').text).toBe('Granted scopes: none');
    expect(findByTestId(Alert, 'connection-alert').props.title).toBe('Not connected');
  });
});

describe('SettingsPage: pause on owner change', () => {
  it('when the toggle is switched off, then it PATCHes pauseOnOwnerChange=false, stays read-only while saving, then shows Saved', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend()
      .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()))
      .on('PATCH', SETTINGS_PATH, answer.promise);
    const renderer = await renderLoaded(backend);
    const toggle = () => renderer.findByTestId(Toggle, 'pause-on-owner-change');
    expect(toggle().props).toMatchObject({ checked: true, label: 'Pause the AI when an agent takes ownership of a ticket or conversation' });

    fireEvent(toggle(), 'onChange', false);

    await renderer.waitFor(() => expect(toggle().props.readonly).toBe(true));
    expect(toggle().props.checked).toBe(false);
    await renderer.waitFor(() => expect(settingsCalls(backend)).toHaveLength(2));
    expect(settingsCalls(backend)[1]).toStrictEqual({ method: 'PATCH', path: SETTINGS_PATH, url: SETTINGS_URL, body: { pauseOnOwnerChange: false } });

    answer.resolve(jsonResponse(200, buildSettingsResponse({ settings: { pauseOnOwnerChange: false } })));
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'pause-on-owner-change-saved')).not.toBeNull());
    expect(toggle().props).toMatchObject({ checked: false, readonly: false });
    expect(renderer.findByTestId(Alert, 'pause-on-owner-change-saved').text).toBe('The AI keeps answering when an agent takes ownership.');
  });

  it('when saving the toggle fails, then it shows the error and the toggle flips back', async () => {
    const backend = createFakeBackend()
      .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse({ settings: { pauseOnOwnerChange: false } })))
      .on('PATCH', SETTINGS_PATH, jsonResponse(503, { error: { code: 'server_unavailable', message: 'Try again in a minute.' } }));
    const renderer = await renderLoaded(backend);

    fireEvent(renderer.findByTestId(Toggle, 'pause-on-owner-change'), 'onChange', true);

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'pause-on-owner-change-error')).not.toBeNull());
    expect(renderer.findByTestId(Alert, 'pause-on-owner-change-error').text).toBe('Try again in a minute.');
    expect(renderer.findByTestId(Toggle, 'pause-on-owner-change').props.checked).toBe(false);
    expect(settingsCalls(backend)[1]?.body).toStrictEqual({ pauseOnOwnerChange: true });
  });
});

describe('SettingsPage: handoff teams', () => {
  it('when a team is added, then Save PATCHes the full team list and shows Saved', async () => {
    const saved = buildSettingsResponse({ settings: { handoffTeams: [buildTeam(), { id: '12', name: 'Billing' }] } });
    const backend = createFakeBackend()
      .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()))
      .on('PATCH', SETTINGS_PATH, jsonResponse(200, saved));
    const renderer = await renderLoaded(backend, [
      { id: 11, name: 'Tier 2 support' },
      { id: 12, name: 'Billing' },
    ]);
    const picker = () => renderer.findByTestId(MultiSelect, 'handoff-teams');
    const save = () => renderer.findByTestId(LoadingButton, 'handoff-teams-save');

    expect(picker().props).toMatchObject({
      label: 'Handoff teams',
      value: ['11'],
      options: [
        { label: 'Tier 2 support', value: '11' },
        { label: 'Billing', value: '12' },
      ],
    });
    expect(save().props.disabled).toBe(true);

    fireEvent(picker(), 'onChange', ['11', '12']);
    await renderer.waitFor(() => expect(save().props.disabled).toBe(false));
    save().trigger('onClick');

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'handoff-teams-saved')).not.toBeNull());
    expect(settingsCalls(backend)[1]).toStrictEqual({
      method: 'PATCH',
      path: SETTINGS_PATH,
      url: SETTINGS_URL,
      body: { handoffTeams: [buildTeam(), { id: '12', name: 'Billing' }] },
    });
    expect(save().props.disabled).toBe(true);
  });

  it('when all teams are removed, then Save PATCHes an empty list', async () => {
    const backend = createFakeBackend()
      .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()))
      .on('PATCH', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse({ settings: { handoffTeams: [] } })));
    const renderer = await renderLoaded(backend);

    fireEvent(renderer.findByTestId(MultiSelect, 'handoff-teams'), 'onChange', []);
    await renderer.waitFor(() => expect(renderer.findByTestId(LoadingButton, 'handoff-teams-save').props.disabled).toBe(false));
    renderer.findByTestId(LoadingButton, 'handoff-teams-save').trigger('onClick');

    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'handoff-teams-saved')).not.toBeNull());
    expect(settingsCalls(backend)[1]?.body).toStrictEqual({ handoffTeams: [] });
    expect(renderer.findByTestId(MultiSelect, 'handoff-teams').props.value).toStrictEqual([]);
  });

  it('when saving the teams fails, then it shows the error, keeps the draft and shows the spinner while saving', async () => {
    const answer = deferred<Response>();
    const backend = createFakeBackend()
      .on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()))
      .on('PATCH', SETTINGS_PATH, answer.promise);
    const renderer = await renderLoaded(backend, [{ id: 12, name: 'Billing' }]);

    fireEvent(renderer.findByTestId(MultiSelect, 'handoff-teams'), 'onChange', ['12']);
    await renderer.waitFor(() => expect(renderer.findByTestId(LoadingButton, 'handoff-teams-save').props.disabled).toBe(false));
    renderer.findByTestId(LoadingButton, 'handoff-teams-save').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(LoadingButton, 'handoff-teams-save').props.loading).toBe(true));

    answer.resolve(jsonResponse(400, { error: { code: 'invalid_body', message: 'Request body is invalid' } }));
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'handoff-teams-error')).not.toBeNull());
    expect(renderer.findByTestId(Alert, 'handoff-teams-error').text).toBe('Request body is invalid');
    expect(renderer.findByTestId(MultiSelect, 'handoff-teams').props.value).toStrictEqual(['12']);
    expect(settingsCalls(backend)[1]?.body).toStrictEqual({ handoffTeams: [{ id: '12', name: 'Billing' }] });
  });
});

describe('SettingsPage: dashboard link', () => {
  it('when the vendor set a dashboard URL, then it links to it in a new tab', async () => {
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse()));
    const { findByTestId } = await renderLoaded(backend);

    const link = findByTestId(Link, 'dashboard-link');
    expect(link.props.href).toStrictEqual({ url: 'https://vendor.example.com/dashboard', external: true });
    expect(link.text).toBe('Open the Switchboard dashboard');
  });

  it('when there is no dashboard URL, then it says so instead of a dead link', async () => {
    const backend = createFakeBackend().on('GET', SETTINGS_PATH, jsonResponse(200, buildSettingsResponse({ dashboardUrl: null })));
    const { maybeFindByTestId, findByTestId } = await renderLoaded(backend);

    expect(maybeFindByTestId(Link, 'dashboard-link')).toBeNull();
    expect(findByTestId(Text, 'dashboard-missing').text).toBe('Your AI platform has not set a dashboard link for this account.');
  });
});
