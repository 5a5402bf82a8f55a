// What the vendor proxy needs from other modules, as slices of the types their owners export.
import type { ConnectionsService } from '../connections/connections.service.js';

/** The organization's connection: whether it exists, its auth and its granted scopes. */
export type ConnectionsPort = Pick<ConnectionsService, 'findByOrganization'>;
