// What the events module needs from other modules, as slices of the types their owners export.
import type { Metrics } from '../metrics/metrics.service.js';

/** The metrics this module counts: event pushes by outcome. */
export type MetricsPort = Pick<Metrics, 'eventPushes'>;
