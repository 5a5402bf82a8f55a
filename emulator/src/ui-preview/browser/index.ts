// The preview's '@hubspot/ui-extensions': the bundler resolves the package to a generated module that
// re-exports this file and adds a "not available" stand-in for every other export of the real package.
// `hubspot` and the hooks are typed as the real package's, so a card compiles against both alike.
import type { hubspot as realHubspot, useExtensionActions as realUseActions, useExtensionApi as realUseApi, useExtensionContext as realUseContext } from '@hubspot/ui-extensions';
import { currentApi, extend, hubspotFetch, NotInPreviewError } from './host.js';

export { Alert, EmptyState, ErrorState, LoadingSpinner, StatusTag } from './components/feedback.js';
export { Button, Link, LoadingButton } from './components/buttons.js';
export { DescriptionList, DescriptionListItem, Divider, Flex, Heading, Text, Tile } from './components/layout.js';
export { MultiSelect, Select, Toggle } from './components/inputs.js';

/** `hubspot.extend`, `hubspot.fetch` (through the emulator's signing proxy) and `hubspot.serverless` (absent). */
export const hubspot: typeof realHubspot = {
  extend: extend as typeof realHubspot.extend,
  fetch: hubspotFetch,
  serverless: () => Promise.reject(new NotInPreviewError('hubspot.serverless')),
};

/** The extension's context: portal, user, record and profile variables from the preview page. */
export const useExtensionContext = (() => currentApi().context) as typeof realUseContext;

/** The extension's actions (addAlert, reloadPage, copyTextToClipboard; the rest say they are missing). */
export const useExtensionActions = (() => currentApi().actions) as typeof realUseActions;

/** The whole extension API. */
export const useExtensionApi = (() => currentApi()) as typeof realUseApi;
