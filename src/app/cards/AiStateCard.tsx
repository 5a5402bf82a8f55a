// Entry file of the record sidebar card (ai-state-card-hsmeta.json). HubSpot runs this file; it only
// registers the card. The component lives in components/ so tests can render it.
import { hubspot } from '@hubspot/ui-extensions';
import { AiStateCard } from './components/AiStateCard.js';

hubspot.extend<'crm.record.sidebar'>(() => <AiStateCard />);
