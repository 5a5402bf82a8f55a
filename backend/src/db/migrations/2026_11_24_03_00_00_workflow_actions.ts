import { sql, type Kysely } from 'kysely';

/**
 * Workflow actions: executions keyed by HubSpot's callbackId (idempotency), blocked Send to AI
 * callbacks waiting for the vendor's result, automatic resumes scheduled by Pause AI, and each
 * organization's handoff teams (the Request handoff dropdown).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workflow_action_executions')
    // The primary key is the dedupe: a retry or concurrent copy of an execution waits on it.
    .addColumn('callback_id', 'text', (c) => c.primaryKey())
    .addColumn('action_name', 'text', (c) => c.notNull())
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('organization_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('workflow_id', 'bigint')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addColumn('execution_state', 'text')
    .addColumn('error_code', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('answer', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('workflow_action_executions_org_created_idx')
    .on('workflow_action_executions')
    .columns(['organization_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('workflow_action_callbacks')
    .addColumn('callback_id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('portal_id', 'bigint', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'bigint')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'completing', 'completed', 'expired', 'rejected')`),
    )
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('output_fields', 'jsonb')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The sweep looks for open callbacks by expiry; the vendor result and the completion job by owner.
  await sql`create index workflow_action_callbacks_open_expiry_idx on workflow_action_callbacks (expires_at) where status in ('pending', 'completing')`.execute(db);
  await db.schema
    .createIndex('workflow_action_callbacks_conversation_idx')
    .on('workflow_action_callbacks')
    .columns(['organization_id', 'conversation_id', 'status'])
    .execute();

  await db.schema
    .createTable('workflow_auto_resumes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('callback_id', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'bigint')
    .addColumn('pause_transition_id', 'bigint', (c) => c.notNull())
    .addColumn('resume_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('scheduled', 'resumed', 'skipped')`))
    .addColumn('done_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workflow_auto_resumes_callback_conversation_key', ['callback_id', 'conversation_id'])
    .execute();
  await sql`create index workflow_auto_resumes_due_idx on workflow_auto_resumes (resume_at) where status = 'scheduled'`.execute(db);

  await db.schema
    .createTable('handoff_teams')
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('handoff_teams_pkey', ['organization_id', 'team_id'])
    .execute();
}

/** Drops the workflow-action tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('handoff_teams').execute();
  await db.schema.dropTable('workflow_auto_resumes').execute();
  await db.schema.dropTable('workflow_action_callbacks').execute();
  await db.schema.dropTable('workflow_action_executions').execute();
}
