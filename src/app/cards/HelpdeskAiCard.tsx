// Entry file of the help desk sidebar card (helpdesk-ai-card-hsmeta.json): same card, other location.
import { hubspot } from '@hubspot/ui-extensions';
import { AiStateCard } from './components/AiStateCard.js';

hubspot.extend<'helpdesk.sidebar'>(() => <AiStateCard />);
