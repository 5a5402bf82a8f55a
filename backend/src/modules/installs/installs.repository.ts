import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { NewInstallLinkRow, NewOAuthStateRow, NewPendingInstallRow, PendingInstallRow, PendingInstallUpdate } from './installs.table.js';

/** An install link (its token is never stored). */
export interface InstallLink {
  id: string;
  organizationId: string;
  tokenHash: string;
  expiresAt: Date;
}

/** A consumed OAuth state: who started the attempt. */
export interface ConsumedState {
  organizationId: string;
  installLinkId: string;
  /** The marketplace install this attempt claims, if it is a claim. */
  pendingInstallId: string | null;
}

/** A grant waiting to be claimed or confirmed; tokens still sealed. */
export interface PendingInstall {
  id: string;
  kind: 'unclaimed' | 'awaiting_confirmation';
  organizationId: string | null;
  portalId: number;
  portalDomain: string | null;
  scopes: string[];
  approvedBy: string | null;
  sealedAccessToken: Buffer;
  sealedRefreshToken: Buffer;
  accessExpiresAt: Date;
  expiresAt: Date;
}

type Executor = Db | Transaction<Database>;

function rowToPendingInstall(row: PendingInstallRow): PendingInstall {
  return {
    id: row.id,
    kind: row.kind,
    organizationId: row.organization_id,
    portalId: row.portal_id,
    portalDomain: row.portal_domain,
    scopes: row.scopes,
    approvedBy: row.approved_by,
    sealedAccessToken: row.access_token,
    sealedRefreshToken: row.refresh_token,
    accessExpiresAt: row.access_expires_at,
    expiresAt: row.expires_at,
  };
}

/** Inserts an install link. */
async function insertInstallLink(db: Executor, row: NewInstallLinkRow): Promise<InstallLink> {
  const r = await db.insertInto('install_links').values(row).returning(['id', 'organization_id', 'token_hash', 'expires_at']).executeTakeFirstOrThrow();
  return { id: r.id, organizationId: r.organization_id, tokenHash: r.token_hash, expiresAt: r.expires_at };
}

/** The install link whose token hashes to `hash`, whether or not it expired. */
async function findInstallLinkByTokenHash(db: Executor, hash: string): Promise<InstallLink | undefined> {
  const r = await db.selectFrom('install_links').select(['id', 'organization_id', 'token_hash', 'expires_at']).where('token_hash', '=', hash).executeTakeFirst();
  return r ? { id: r.id, organizationId: r.organization_id, tokenHash: r.token_hash, expiresAt: r.expires_at } : undefined;
}

/** The install link with this id. */
async function findInstallLinkById(db: Executor, id: string): Promise<InstallLink | undefined> {
  const r = await db.selectFrom('install_links').select(['id', 'organization_id', 'token_hash', 'expires_at']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, organizationId: r.organization_id, tokenHash: r.token_hash, expiresAt: r.expires_at } : undefined;
}

/** Inserts an OAuth state. */
async function insertOAuthState(db: Executor, row: NewOAuthStateRow): Promise<void> {
  await db.insertInto('oauth_states').values(row).execute();
}

/**
 * Marks a state used when it exists, is unused, has not expired and was started by this browser;
 * atomic, so a state can be consumed once however many callbacks race.
 * @returns the attempt's organization and link, or undefined when the state is not valid
 */
async function consumeOAuthState(db: Executor, input: { stateHash: string; bindingHash: string; now: Date }): Promise<ConsumedState | undefined> {
  const r = await db
    .updateTable('oauth_states')
    .set({ used_at: input.now })
    .where('state_hash', '=', input.stateHash)
    .where('browser_binding_hash', '=', input.bindingHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', input.now)
    .returning(['organization_id', 'install_link_id', 'pending_install_id'])
    .executeTakeFirst();
  return r ? { organizationId: r.organization_id, installLinkId: r.install_link_id, pendingInstallId: r.pending_install_id } : undefined;
}

/** Inserts a pending install. */
async function insertPendingInstall(db: Executor, row: NewPendingInstallRow): Promise<PendingInstall> {
  return rowToPendingInstall(await db.insertInto('pending_installs').values(row).returningAll().executeTakeFirstOrThrow());
}

/** Locks an unexpired unclaimed install by its id. */
async function lockUnclaimedInstallById(trx: Transaction<Database>, id: string, now: Date): Promise<PendingInstall | undefined> {
  const r = await trx.selectFrom('pending_installs').selectAll().where('kind', '=', 'unclaimed').where('id', '=', id).where('expires_at', '>', now).forUpdate().executeTakeFirst();
  return r ? rowToPendingInstall(r) : undefined;
}

/** An unexpired unclaimed install by its id (no lock). */
async function findUnclaimedInstallById(db: Executor, id: string, now: Date): Promise<PendingInstall | undefined> {
  const r = await db.selectFrom('pending_installs').selectAll().where('kind', '=', 'unclaimed').where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  return r ? rowToPendingInstall(r) : undefined;
}

/** An unexpired unclaimed install by its claim token hash (no lock). */
async function findUnclaimedInstallByClaimHash(db: Executor, claimHash: string, now: Date): Promise<PendingInstall | undefined> {
  const r = await db.selectFrom('pending_installs').selectAll().where('kind', '=', 'unclaimed').where('claim_token_hash', '=', claimHash).where('expires_at', '>', now).executeTakeFirst();
  return r ? rowToPendingInstall(r) : undefined;
}

/** The organization's unexpired grant awaiting confirmation, newest first. */
async function findAwaitingInstallByOrganization(db: Executor, organizationId: string, now: Date): Promise<PendingInstall | undefined> {
  const r = await db
    .selectFrom('pending_installs')
    .selectAll()
    .where('kind', '=', 'awaiting_confirmation')
    .where('organization_id', '=', organizationId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? rowToPendingInstall(r) : undefined;
}

/** Locks one of the organization's unexpired grants awaiting confirmation. */
async function lockAwaitingInstall(trx: Transaction<Database>, input: { id: string; organizationId: string; now: Date }): Promise<PendingInstall | undefined> {
  const r = await trx
    .selectFrom('pending_installs')
    .selectAll()
    .where('id', '=', input.id)
    .where('kind', '=', 'awaiting_confirmation')
    .where('organization_id', '=', input.organizationId)
    .where('expires_at', '>', input.now)
    .forUpdate()
    .executeTakeFirst();
  return r ? rowToPendingInstall(r) : undefined;
}

/** Updates a pending install. */
async function updatePendingInstall(db: Executor, id: string, update: PendingInstallUpdate): Promise<void> {
  await db.updateTable('pending_installs').set(update).where('id', '=', id).execute();
}

/** Deletes a pending install. */
async function deletePendingInstall(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('pending_installs').where('id', '=', id).execute();
}

/** Deletes the organization's grants awaiting confirmation (a newer attempt replaces them). */
async function deleteAwaitingInstallsByOrganization(db: Executor, organizationId: string): Promise<void> {
  await db.deleteFrom('pending_installs').where('kind', '=', 'awaiting_confirmation').where('organization_id', '=', organizationId).execute();
}

/** Deletes expired states, links and pending installs; returns the expired pending installs (to revoke). */
async function deleteExpired(db: Executor, now: Date): Promise<{ states: number; links: number; pending: PendingInstall[] }> {
  const states = await db.deleteFrom('oauth_states').where('expires_at', '<=', now).executeTakeFirst();
  // A link stays while an attempt started from it is still pending (states cascade from links).
  const links = await db.deleteFrom('install_links').where('expires_at', '<=', now).executeTakeFirst();
  const pending = await db.deleteFrom('pending_installs').where('expires_at', '<=', now).returningAll().execute();
  return { states: Number(states.numDeletedRows), links: Number(links.numDeletedRows), pending: pending.map(rowToPendingInstall) };
}

export const installsRepository = Object.freeze({
  insertInstallLink,
  findInstallLinkByTokenHash,
  findInstallLinkById,
  insertOAuthState,
  consumeOAuthState,
  insertPendingInstall,
  lockUnclaimedInstallById,
  findUnclaimedInstallById,
  findUnclaimedInstallByClaimHash,
  findAwaitingInstallByOrganization,
  lockAwaitingInstall,
  updatePendingInstall,
  deletePendingInstall,
  deleteAwaitingInstallsByOrganization,
  deleteExpired,
});
