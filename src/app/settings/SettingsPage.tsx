// Entry file of the settings page (settings-hsmeta.json). HubSpot runs this file; it only registers
// the page. The component lives in components/ so tests can render it.
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsView } from './components/SettingsView.js';

hubspot.extend<'settings'>(() => <SettingsView />);
