// HubSpot identifies the record a card is shown on by object type id; the backend routes use the
// plural names of the card hsmeta `objectTypes`.
import type { RecordObjectType } from './contract.js';

// Standard object type ids: https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm#object-type-ids
const BY_TYPE_ID: Readonly<Record<string, RecordObjectType>> = { '0-1': 'contacts', '0-5': 'tickets' };

/**
 * Maps the record's object type id to the backend's object type.
 * @param objectTypeId `context.crm.objectTypeId`, e.g. `0-5`
 * @returns `tickets` or `contacts`, or null for a type the cards do not support
 */
export function recordObjectType(objectTypeId: string): RecordObjectType | null {
  return BY_TYPE_ID[objectTypeId] ?? null;
}
