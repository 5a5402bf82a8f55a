import type { BenchPostgres } from './db.js';

/** One figure of the results table. */
export interface Figure {
  /** Stable key (e.g. `intake.c10.throughput`). */
  id: string;
  /** What was measured. */
  name: string;
  value: number;
  unit: string;
  /** The same figure for the baseline measured in the same run. */
  baseline?: { label: string; value: number };
  /** value ÷ baseline. */
  ratio?: number;
  /** Human-readable target ("≥ 0.5× baseline", "< 50 ms"), if any. */
  target?: string;
  /** Whether the target was met (null when there is none). */
  met: boolean | null;
  /** Extra numbers kept in the JSON. */
  details?: Record<string, unknown>;
}

/** What a scenario gets. */
export interface BenchContext {
  pg: BenchPostgres;
  /** Progress line on stderr. */
  note(message: string): void;
}

/** A scenario: a name and a function producing figures. */
export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
