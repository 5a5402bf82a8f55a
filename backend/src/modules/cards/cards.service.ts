// What the HubSpot app card and settings page see and change, for the portal HubSpot says they are
// shown in. The portal decides the organization, and nothing of another organization is ever read:
// every lookup below takes the organization id resolved from the (signed) portal id.
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { FeatureModule } from '../../platform/module.js';
import type { ConnectionStatusView, ConnectionSummary } from '../connections/connections.service.js';
import type { Conversation, Transition, TransitionInput } from '../conversations/conversations.service.js';
import { DEFAULT_SETTINGS } from '../settings/settings.service.js';
import type { ConnectionsPort, ConversationsPort, HandoffTeamsPort, HelpdeskPort, ReconnectUrl, SettingsPort } from './cards.ports.js';
import type { CARD_ACTIONS, HelpdeskConnectBody, Identity, RecordParams, SettingsPatch, TransitionBody } from './cards.schemas.js';
import { NOT_CONNECTED_HELPDESK, readCardHelpdesk, type CardHelpdesk } from './helpdesk-section.js';

export type { CardHelpdesk };

/** How the portal is connected, as the card needs it. */
export interface CardConnection {
  status: 'not_connected' | ConnectionSummary['status'];
  auth: ConnectionSummary['auth'] | null;
}

/** A conversation with its latest transition. */
export interface CardConversation {
  conversation: Conversation;
  lastTransition: Transition | null;
}

/** The record answer. */
export interface CardRecord {
  connection: CardConnection;
  conversations: CardConversation[];
}

/** The settings answer. */
export interface CardSettings {
  connection: Pick<ConnectionStatusView, 'status' | 'auth' | 'portalId' | 'scopes' | 'lastRefreshAt' | 'lastError'>;
  pauseOnOwnerChange: boolean;
  handoffTeams: { id: string; name: string }[];
  dashboardUrl: string | null;
}

/** The `/hubspot/ui/*` use cases. */
export interface CardsService {
  /** The record's linked conversations (none unless the portal is connected or needs re-authorization). */
  getRecord(identity: Identity, record: RecordParams): Promise<CardRecord>;
  /**
   * Pauses, resumes or hands off one of the portal's organization's conversations (source `card`,
   * actor the HubSpot user's email). Idempotent: asking for the current state changes nothing.
   * @throws AppError install_not_found (portal not connected) | not_found (no such conversation in
   *   this organization) | invalid_transition
   */
  transition(identity: Identity, conversationId: string, action: (typeof CARD_ACTIONS)[number], body: TransitionBody): Promise<CardConversation>;
  /** The organization's connection health and settings (defaults for a portal no organization holds). */
  getSettings(identity: Identity): Promise<CardSettings>;
  /**
   * Changes the organization's settings and handoff teams.
   * @throws AppError install_not_found (portal not connected)
   */
  updateSettings(identity: Identity, patch: SettingsPatch): Promise<CardSettings>;
  /** The help-desk state, the inbox picker, and the reconnect when scopes are missing (nothing to connect for a portal no organization holds). */
  getHelpdesk(identity: Identity): Promise<CardHelpdesk>;
  /**
   * Connects the help-desk channel to one of the portal's inboxes, then reads the section again.
   * @throws AppError install_not_found (portal not connected) | missing_scope | conflict | hubspot_upstream_error
   */
  connectHelpdesk(identity: Identity, body: HelpdeskConnectBody): Promise<CardHelpdesk>;
}

/** Dependencies of the cards service: the same services the vendor API uses. */
export interface CardsDeps {
  connections: ConnectionsPort;
  conversations: ConversationsPort;
  settings: SettingsPort;
  handoffTeams: HandoffTeamsPort;
  helpdesk: HelpdeskPort;
  reconnectUrl: ReconnectUrl;
  /** config.vendorDashboardUrl: `{organizationId}` is replaced. */
  dashboardUrlTemplate?: string;
  log: Logger;
}

/** At most this many conversations are shown on one record (the newest first). */
export const CARD_CONVERSATION_LIMIT = 20;

/** Builds the cards service. */
export function createCardsService(deps: CardsDeps): CardsService {
  const notConnected = () => new AppError('install_not_found', 'This HubSpot account is not connected to Switchboard. Connect it from your AI platform first.');

  /** The organization holding the portal; a disconnected organization no longer does. */
  const holderOf = async (portalId: number): Promise<ConnectionSummary | undefined> => {
    const connection = await deps.connections.findByPortalId(portalId);
    return connection && connection.status !== 'disconnected' ? connection : undefined;
  };

  const withLastTransitions = async (organizationId: string, conversations: Conversation[]): Promise<CardConversation[]> => {
    const last = await deps.conversations.lastTransitions(
      organizationId,
      conversations.map((c) => c.id),
    );
    return conversations.map((conversation) => ({ conversation, lastTransition: last.get(conversation.id) ?? null }));
  };

  const settingsOf = async (organizationId: string): Promise<CardSettings> => {
    const [status, settings, teams] = await Promise.all([deps.connections.getStatus(organizationId), deps.settings.getSettings(organizationId), deps.handoffTeams.getHandoffTeams(organizationId)]);
    return {
      connection: { status: status.status, auth: status.auth, portalId: status.portalId, scopes: status.scopes, lastRefreshAt: status.lastRefreshAt, lastError: status.lastError },
      pauseOnOwnerChange: settings.pauseOnOwnerChange,
      handoffTeams: teams.map((t) => ({ id: t.id, name: t.name })),
      dashboardUrl: deps.dashboardUrlTemplate ? deps.dashboardUrlTemplate.replaceAll('{organizationId}', encodeURIComponent(organizationId)) : null,
    };
  };

  return Object.freeze<CardsService>({
    async getRecord(identity, record) {
      const connection = await deps.connections.findByPortalId(identity.portalId);
      if (!connection || connection.status === 'disconnected') {
        return { connection: { status: connection?.status ?? 'not_connected', auth: null }, conversations: [] };
      }
      const filter = record.objectType === 'tickets' ? { ticketId: record.objectId } : { contactId: record.objectId };
      const conversations = await deps.conversations.findByRecord(connection.organizationId, filter, { limit: CARD_CONVERSATION_LIMIT });
      return { connection: { status: connection.status, auth: connection.auth }, conversations: await withLastTransitions(connection.organizationId, conversations) };
    },

    async transition(identity, conversationId, action, body) {
      const holder = await holderOf(identity.portalId);
      if (!holder) throw notConnected();
      const input: TransitionInput = {
        source: 'card',
        actor: identity.userEmail ?? (identity.userId !== undefined ? `hubspot-user:${identity.userId}` : null),
        reason: body.reason ?? null,
        details: { ...(identity.userId !== undefined ? { hubspotUserId: identity.userId } : {}), ...(body.note ? { note: body.note } : {}) },
      };
      const run = action === 'pause' ? deps.conversations.pause : action === 'resume' ? deps.conversations.resume : deps.conversations.requestHandoff;
      const result = await run(holder.organizationId, conversationId, input);
      if (result.changed) deps.log.info({ organizationId: holder.organizationId, conversationId, action, to: result.conversation.aiState }, 'AI state changed from the HubSpot card');
      const [shown] = await withLastTransitions(holder.organizationId, [result.conversation]);
      return shown!;
    },

    async getSettings(identity) {
      const holder = await holderOf(identity.portalId);
      if (holder) return settingsOf(holder.organizationId);
      const former = await deps.connections.findByPortalId(identity.portalId);
      return {
        connection: { status: former ? 'disconnected' : 'not_connected', auth: null, portalId: identity.portalId, scopes: [], lastRefreshAt: null, lastError: null },
        pauseOnOwnerChange: DEFAULT_SETTINGS.pauseOnOwnerChange,
        handoffTeams: [],
        dashboardUrl: null,
      };
    },

    async updateSettings(identity, patch) {
      const holder = await holderOf(identity.portalId);
      if (!holder) throw notConnected();
      // Both parts were validated before either is written, so only a database failure can split them.
      if (patch.handoffTeams !== undefined) await deps.handoffTeams.putHandoffTeams(holder.organizationId, patch.handoffTeams);
      if (patch.pauseOnOwnerChange !== undefined) await deps.settings.updateSettings(holder.organizationId, { pauseOnOwnerChange: patch.pauseOnOwnerChange });
      return settingsOf(holder.organizationId);
    },

    async getHelpdesk(identity) {
      const holder = await holderOf(identity.portalId);
      return holder ? readCardHelpdesk(deps, identity.portalId, holder.organizationId) : NOT_CONNECTED_HELPDESK;
    },

    async connectHelpdesk(identity, body) {
      const holder = await holderOf(identity.portalId);
      if (!holder) throw notConnected();
      const account = await deps.helpdesk.connectInbox(holder.organizationId, { inboxId: body.inboxId });
      deps.log.info({ organizationId: holder.organizationId, inboxId: account.inboxId, channelAccountId: account.channelAccountId }, 'help-desk channel connected from the HubSpot settings page');
      return readCardHelpdesk(deps, identity.portalId, holder.organizationId);
    },
  });
}

/** The cards module: its service; it has no jobs. */
export function createCardsModule(deps: CardsDeps): FeatureModule<CardsService> {
  return { service: createCardsService(deps), jobs: [], schedules: [] };
}
