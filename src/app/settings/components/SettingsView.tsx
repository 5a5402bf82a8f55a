// The settings page (Connected apps → Switchboard → Settings): connection health, the
// pause-on-owner-change toggle, the handoff teams, the help-desk channel and a link to the vendor's
// dashboard.
// Only components from '@hubspot/ui-extensions' (the /crm ones are not available on settings pages).
import { Button, Divider, ErrorState, Flex, Heading, Link, LoadingSpinner, Text, useExtensionContext } from '@hubspot/ui-extensions';
import { useSettings } from '../hooks/useSettings.js';
import { ConnectionHealth } from './ConnectionHealth.js';
import { HandoffTeamsEditor } from './HandoffTeamsEditor.js';
import { HelpdeskSection } from './HelpdeskSection.js';
import { PauseOnOwnerChange } from './PauseOnOwnerChange.js';

/** Loads the settings, then shows each section. */
export function SettingsView() {
  const { state, reload, save } = useSettings();
  const userTeams = useExtensionContext<'settings'>().user.teams;

  if (state.status === 'loading') {
    return <LoadingSpinner testId="settings-loading" label="Loading Switchboard settings…" showLabel layout="centered" />;
  }
  if (state.status === 'error') {
    return (
      <ErrorState testId="settings-error" title="Couldn't load the settings">
        <Text>{state.error.message}</Text>
        <Button testId="settings-retry" onClick={() => reload()}>
          Retry
        </Button>
      </ErrorState>
    );
  }

  const { connection, settings, dashboardUrl } = state.data;
  return (
    <Flex direction="column" gap="md">
      <Heading>Connection</Heading>
      <ConnectionHealth connection={connection} />
      <Divider />
      <Heading>AI behaviour</Heading>
      <PauseOnOwnerChange value={settings.pauseOnOwnerChange} save={save} />
      <HandoffTeamsEditor teams={settings.handoffTeams} userTeams={userTeams} save={save} />
      <Divider />
      <Heading>Help desk</Heading>
      <HelpdeskSection />
      <Divider />
      <Heading>Dashboard</Heading>
      {dashboardUrl ? (
        <Link testId="dashboard-link" href={{ url: dashboardUrl, external: true }}>
          Open the Switchboard dashboard
        </Link>
      ) : (
        <Text testId="dashboard-missing">Your AI platform has not set a dashboard link for this account.</Text>
      )}
    </Flex>
  );
}
