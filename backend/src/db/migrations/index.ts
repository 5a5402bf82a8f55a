import type { Migration } from 'kysely';
import * as m20261124000000 from './2026_11_24_00_00_00_organizations.js';
import * as m20261124010000 from './2026_11_24_01_00_00_connections.js';
import * as m20261124020000 from './2026_11_24_02_00_00_conversations.js';
import * as m20261124020001 from './2026_11_24_02_00_01_events.js';
import * as m20261124020002 from './2026_11_24_02_00_02_webhooks.js';
import * as m20261124030000 from './2026_11_24_03_00_00_workflow_actions.js';
import * as m20261124050000 from './2026_11_24_05_00_00_token_refreshes.js';
import * as m20261124040000 from './2026_11_24_04_00_00_hubspot_budget.js';
import * as m20261205000000 from './2026_12_05_00_00_00_webhook_refused_events.js';
import * as m20261205010000 from './2026_12_05_01_00_00_install_claims.js';
import * as m20261205010001 from './2026_12_05_01_00_01_writeback_waiting.js';
import * as m20261205200000 from './2026_12_05_20_00_00_helpdesk_channel.js';
import * as m20261205200001 from './2026_12_05_20_00_01_helpdesk_transition_source.js';
import * as m20261205211400 from './2026_12_05_21_14_00_connections_notify.js';
import * as m20261205211430 from './2026_12_05_21_14_30_outbox_xid.js';
import * as m20261205220000 from './2026_12_05_22_00_00_webhook_inbox_queue.js';
import * as m20261205230000 from './2026_12_05_23_00_00_webhook_intake_indexes.js';
import * as m20261205231000 from './2026_12_05_23_10_00_retention_indexes.js';
import * as m20261205235000 from './2026_12_05_23_50_00_inbox_autovacuum.js';

/**
 * Every migration, by name in run order. Listed explicitly (rather than read from the folder) so
 * the same code runs under tsx, jest and compiled JS.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_24_00_00_00_organizations': m20261124000000,
  '2026_11_24_01_00_00_connections': m20261124010000,
  '2026_11_24_02_00_00_conversations': m20261124020000,
  '2026_11_24_02_00_01_events': m20261124020001,
  '2026_11_24_02_00_02_webhooks': m20261124020002,
  '2026_11_24_03_00_00_workflow_actions': m20261124030000,
  '2026_11_24_05_00_00_token_refreshes': m20261124050000,
  '2026_11_24_04_00_00_hubspot_budget': m20261124040000,
  '2026_12_05_00_00_00_webhook_refused_events': m20261205000000,
  '2026_12_05_01_00_00_install_claims': m20261205010000,
  '2026_12_05_01_00_01_writeback_waiting': m20261205010001,
  '2026_12_05_20_00_00_helpdesk_channel': m20261205200000,
  '2026_12_05_20_00_01_helpdesk_transition_source': m20261205200001,
  '2026_12_05_21_14_00_connections_notify': m20261205211400,
  '2026_12_05_21_14_30_outbox_xid': m20261205211430,
  '2026_12_05_22_00_00_webhook_inbox_queue': m20261205220000,
  '2026_12_05_23_00_00_webhook_intake_indexes': m20261205230000,
  '2026_12_05_23_10_00_retention_indexes': m20261205231000,
  '2026_12_05_23_50_00_inbox_autovacuum': m20261205235000,
};
