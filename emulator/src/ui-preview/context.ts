// The extension context the preview hands to a card or the settings page, built from the emulator's
// state the way HubSpot builds it from the signed-in user and the open record: `user`, `portal`,
// `crm` (record sidebar), `extension`, `variables` (UI extensions SDK 0.17 passes the profile's).
// Types: `CrmContext` / `SettingsContext` of @hubspot/ui-extensions.
import type { CrmContext, SettingsContext, UserContext } from '@hubspot/ui-extensions';
import { ControlError } from '../outbound/control-errors.js';
import type { Variables } from '../manifests.js';
import { findUser, listUsers, type EmulatorState, type Portal, type User } from '../state.js';

/** Who is looking: the portal and the user, picked from the page's query or defaulted. */
export interface Viewer {
  portal: Portal;
  user: User;
}

/** App details for `context.extension`. */
export interface ExtensionApp {
  appId: number;
  appName: string;
}

/**
 * Picks the portal and user from `?portalId=&userId=`: by default the first portal (the seeded demo
 * portal), and its first user (the super admin).
 * @param state the emulator state
 * @param query the request's query
 * @returns the viewer
 * @throws ControlError 400 for a malformed id, 404 for an unknown portal or a user of another portal
 */
export function pickViewer(state: EmulatorState, query: Record<string, unknown>): Viewer {
  const portals = [...state.ctx.data.portals.values()];
  const portalId = optionalId(query.portalId, 'portalId');
  const portal = portalId === undefined ? portals[0] : state.ctx.data.portals.get(portalId);
  if (!portal) throw new ControlError(404, 'not_found', portalId === undefined ? 'The emulator has no portal' : `Portal ${portalId} does not exist`);
  const userId = optionalId(query.userId, 'userId');
  const user = userId === undefined ? listUsers(state.ctx, portal.id).sort((a, b) => a.id - b.id)[0] : findUser(state.ctx, portal.id, userId);
  if (!user) throw new ControlError(404, 'not_found', userId === undefined ? `Portal ${portal.id} has no user` : `User ${userId} is not a user of portal ${portal.id}`);
  return { portal, user };
}

function optionalId(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) throw new ControlError(400, 'invalid_params', `${name} must be a positive integer`);
  return Number(value);
}

// Assumption: docs/HUBSPOT-ASSUMPTIONS.md#E-150
function userContext(user: User): UserContext {
  return {
    id: user.id,
    email: user.email,
    emails: [user.email],
    firstName: user.firstName,
    lastName: user.lastName,
    roles: [],
    // The emulator has no teams; HubSpot lists the user's teams here.
    teams: [],
    locale: 'en-US',
    language: 'en',
    permissions: user.superAdmin ? ['integrations-management-write'] : [],
  };
}

/**
 * The context of a record card.
 * @param viewer portal and user
 * @param record the record's id and object type id (`0-5` tickets, `0-1` contacts)
 * @param location the card's location
 * @param app app id and name, with the card's title
 * @param variables the profile's variables
 * @returns HubSpot's `CrmContext`
 */
export function crmContext(viewer: Viewer, record: { objectId: number; objectTypeId: string }, location: CrmContext['location'], app: ExtensionApp & { cardTitle: string }, variables: Variables): CrmContext {
  return {
    location,
    user: userContext(viewer.user),
    portal: { id: viewer.portal.id, timezone: viewer.portal.timeZone },
    crm: record,
    extension: { appId: app.appId, appName: app.appName, cardTitle: app.cardTitle },
    variables,
  };
}

/**
 * The context of the settings page.
 * @param viewer portal and user
 * @param app app id and name
 * @param variables the profile's variables
 * @returns HubSpot's `SettingsContext`
 */
export function settingsContext(viewer: Viewer, app: ExtensionApp, variables: Variables): SettingsContext {
  return {
    location: 'settings',
    user: userContext(viewer.user),
    portal: { id: viewer.portal.id, timezone: viewer.portal.timeZone },
    extension: { appId: app.appId, appName: app.appName },
    variables,
  };
}
