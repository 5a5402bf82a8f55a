import type { Kysely } from 'kysely';

/**
 * A marketplace install is claimed through a second, state-bound OAuth round-trip: the state of that
 * round-trip names the unclaimed install it must match (same portal), so a grant planted in a browser
 * by someone else can never be attached to an organization.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('oauth_states')
    .addColumn('pending_install_id', 'uuid', (c) => c.references('pending_installs.id').onDelete('cascade'))
    .execute();
}

/** Drops the claim reference. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oauth_states').dropColumn('pending_install_id').execute();
}
