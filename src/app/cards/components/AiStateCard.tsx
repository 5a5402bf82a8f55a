// The AI state card, shared by the record sidebar and the help desk sidebar entry files.
import { useExtensionContext } from '@hubspot/ui-extensions';
import { recordObjectType } from '../utils/object-types.js';
import { UnsupportedRecord } from './CardStates.js';
import { RecordAiState } from './RecordAiState.js';

/** Shows and controls the AI on the conversations linked to the record the card is on. */
export function AiStateCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const objectType = recordObjectType(context.crm.objectTypeId);
  if (objectType === null) return <UnsupportedRecord />;
  // Keyed by record so that moving to another record in the help desk starts from a clean load.
  return <RecordAiState key={`${objectType}:${context.crm.objectId}`} objectType={objectType} objectId={context.crm.objectId} />;
}
