// The settings page's help-desk section: the same state and inbox picker as the connection page (the
// help-desk service's), plus where to go when the connection lacks the channel scopes. The settings
// page has no install link, so the reconnect is HubSpot's consent page for the portal without our
// `state`, whose callback renews the connection of the organization that holds the portal.
// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#H-220
import type { InboxPicker } from '../helpdesk/helpdesk.service.js';
import type { HelpdeskPort, ReconnectUrl } from './cards.ports.js';

/** The help-desk answer of the settings page. */
export interface CardHelpdesk {
  picker: InboxPicker;
  /** Set when the connection lacks the channel scopes. */
  reconnectUrl: string | null;
}

/** What a portal no organization holds sees: nothing can be connected. */
export const NOT_CONNECTED_HELPDESK: CardHelpdesk = Object.freeze<CardHelpdesk>({
  picker: { status: { state: 'not_connected', missingScopes: [], channelId: null, account: null, failedMessages: 0 }, inboxes: null },
  reconnectUrl: null,
});

/** Reads the organization's help-desk section for the portal it holds. */
export async function readCardHelpdesk(deps: { helpdesk: HelpdeskPort; reconnectUrl: ReconnectUrl }, portalId: number, organizationId: string): Promise<CardHelpdesk> {
  const picker = await deps.helpdesk.getInboxPicker(organizationId);
  return { picker, reconnectUrl: picker.status.state === 'needs_scopes' ? deps.reconnectUrl(portalId) : null };
}
