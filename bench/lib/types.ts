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

/** Options of one `npm run bench` run. */
export interface BenchOptions {
  /** Short durations and smaller backlogs, for checking the harness (figures are not comparable). */
  quick: boolean;
  /** Measured length of the soak, after its warm-up. */
  soakMinutes: number;
  /** Background intake rate of the owner-change scenario (events/s). */
  backgroundRate: number;
}

/** What a scenario gets. */
export interface BenchContext {
  pg: BenchPostgres;
  options: BenchOptions;
  /** Progress line on stderr. */
  note(message: string): void;
}

/** A scenario: a name and a function producing figures. */
export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
