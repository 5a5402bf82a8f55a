// What an inbox picker shows (the connection page's and the HubSpot settings page's): the help-desk
// state, and the portal's inboxes when the channel may be connected. HubSpot being away must not take
// the page down, so the picker says why the list is missing instead of failing.
import { AppError } from '../../platform/errors.js';
import type { HelpdeskDeps } from './helpdesk.ports.js';
import { getHelpdeskStatus, type HelpdeskStatus } from './connect-channel.js';

/** The help-desk state with the inboxes to pick from. */
export interface InboxPicker {
  status: HelpdeskStatus;
  /** The portal's inboxes and help desks; null when the state allows no picking or HubSpot did not answer. */
  inboxes: { id: string; name: string }[] | null;
  /** Why the inbox list is missing although the state allows picking. */
  inboxesError?: string;
}

/**
 * Reads the organization's help-desk state and, when it may connect or is connected, its inboxes.
 * @param listInboxes the service's own inbox listing, so whatever it adds (a cache) applies here too
 */
export async function getInboxPicker(deps: HelpdeskDeps, organizationId: string, listInboxes: (organizationId: string) => Promise<{ id: string; name: string }[]>): Promise<InboxPicker> {
  const status = await getHelpdeskStatus(deps, organizationId);
  if (status.state !== 'ready_to_connect' && status.state !== 'connected') return { status, inboxes: null };
  try {
    return { status, inboxes: await listInboxes(organizationId) };
  } catch (error) {
    return { status, inboxes: null, inboxesError: error instanceof AppError ? error.message : 'HubSpot did not list the inboxes. Reload the page to try again.' };
  }
}
