// Portals, users and owners. Owners and users are two id spaces (https://developers.hubspot.com/docs/api-reference/latest/crm/owners/guide): CRM records hold
// owner ids, conversations hold user ids; every owner created for a user keeps the link.
import { notFound, validationError } from '../http/errors.js';
import type { StateContext } from './store.js';
import type { Owner, Portal, User } from './types.js';

/** Input of {@link createPortal}. */
export interface CreatePortalInput {
  id?: number;
  name?: string;
  domain?: string;
  timeZone?: string;
  currency?: string;
  /** The portal's first user, a super admin who is also an owner. */
  superAdmin?: { email?: string; firstName?: string; lastName?: string };
}

/** Input of {@link createUser}. */
export interface CreateUserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  superAdmin?: boolean;
  /** Also create the owner record for this user (HubSpot does for most users). Default true. */
  owner?: boolean;
}

/** Input of {@link createOwner}. */
export interface CreateOwnerInput {
  /** The user behind the owner; created from `email` when absent and `type` is PERSON. */
  userId?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  type?: 'PERSON' | 'QUEUE';
}

/**
 * Creates a portal with a super-admin user who is also an owner.
 * @throws HttpError 400 when the hub id is taken
 */
export function createPortal(ctx: StateContext, input: CreatePortalInput): { portal: Portal; superAdmin: User; owner: Owner } {
  const id = input.id ?? ctx.ids.next('portal');
  if (ctx.data.portals.has(id)) throw validationError(`portal ${id} already exists`);
  ctx.ids.reserve('portal', id);
  const portal: Portal = {
    id,
    name: input.name ?? `Portal ${id}`,
    domain: input.domain ?? `portal-${id}.example.com`,
    timeZone: input.timeZone ?? 'US/Eastern',
    currency: input.currency ?? 'USD',
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
    accountType: 'STANDARD',
    createdAt: ctx.now(),
    installed: false,
  };
  ctx.data.portals.set(id, portal);
  const admin = input.superAdmin ?? {};
  const { user, owner } = createUser(ctx, id, {
    email: admin.email ?? `admin@${portal.domain}`,
    firstName: admin.firstName ?? 'Super',
    lastName: admin.lastName ?? 'Admin',
    superAdmin: true,
    owner: true,
  });
  return { portal, superAdmin: user, owner: owner as Owner };
}

/**
 * Finds a portal.
 * @throws HttpError 404 when it does not exist
 */
export function requirePortal(ctx: StateContext, portalId: number): Portal {
  const portal = ctx.data.portals.get(portalId);
  if (!portal) throw notFound(`portal ${portalId} does not exist`);
  return portal;
}

/**
 * Adds a user to a portal, with an owner record unless `owner: false`.
 * @throws HttpError 400 when the email is already a user of that portal, 404 for an unknown portal
 */
export function createUser(ctx: StateContext, portalId: number, input: CreateUserInput): { user: User; owner?: Owner } {
  requirePortal(ctx, portalId);
  const email = input.email.toLowerCase();
  if (listUsers(ctx, portalId).some((u) => u.email === email)) {
    throw validationError(`user ${email} already exists in portal ${portalId}`);
  }
  const user: User = {
    id: ctx.ids.next('user'),
    portalId,
    email,
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    superAdmin: input.superAdmin ?? false,
    createdAt: ctx.now(),
  };
  ctx.data.users.set(user.id, user);
  if (input.owner === false) return { user };
  const owner = createOwner(ctx, portalId, { userId: user.id });
  return { user, owner };
}

/** Users of a portal, by id. */
export function listUsers(ctx: StateContext, portalId: number): User[] {
  return [...ctx.data.users.values()].filter((u) => u.portalId === portalId);
}

/** A user of that portal, or undefined. */
export function findUser(ctx: StateContext, portalId: number, userId: number): User | undefined {
  const user = ctx.data.users.get(userId);
  return user?.portalId === portalId ? user : undefined;
}

/**
 * Creates an owner: for an existing user, for a new user made from `email`, or a QUEUE owner.
 * @throws HttpError 400 for an unknown user, a user that already has an owner or a missing email
 */
export function createOwner(ctx: StateContext, portalId: number, input: CreateOwnerInput): Owner {
  requirePortal(ctx, portalId);
  const type = input.type ?? 'PERSON';
  let user: User | undefined;
  if (input.userId !== undefined) {
    user = findUser(ctx, portalId, input.userId);
    if (!user) throw validationError(`user ${input.userId} is not a user of portal ${portalId}`);
    if (findOwnerByUserId(ctx, portalId, user.id)) throw validationError(`user ${user.id} already has an owner`);
  } else if (type === 'PERSON') {
    if (!input.email) throw validationError('an owner needs a userId or an email');
    user = createUser(ctx, portalId, { email: input.email, firstName: input.firstName, lastName: input.lastName, owner: false }).user;
  }
  const at = ctx.now();
  const owner: Owner = {
    id: ctx.ids.next('owner'),
    portalId,
    userId: user?.id ?? null,
    email: user?.email ?? input.email ?? '',
    firstName: input.firstName ?? user?.firstName ?? '',
    lastName: input.lastName ?? user?.lastName ?? '',
    type,
    archived: false,
    createdAt: at,
    updatedAt: at,
  };
  ctx.data.owners.set(owner.id, owner);
  return owner;
}

/** Owners of a portal, optionally archived ones only. */
export function listOwners(ctx: StateContext, portalId: number, archived = false): Owner[] {
  return [...ctx.data.owners.values()].filter((o) => o.portalId === portalId && o.archived === archived);
}

/** An owner of that portal, or undefined. */
export function findOwner(ctx: StateContext, portalId: number, ownerId: number): Owner | undefined {
  const owner = ctx.data.owners.get(ownerId);
  return owner?.portalId === portalId ? owner : undefined;
}

/** The owner record of a user, or undefined. */
export function findOwnerByUserId(ctx: StateContext, portalId: number, userId: number): Owner | undefined {
  return [...ctx.data.owners.values()].find((o) => o.portalId === portalId && o.userId === userId);
}
