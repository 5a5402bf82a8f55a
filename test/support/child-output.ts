import type { Spawned } from './spawn.js';

/** The JSON log lines a spawned backend wrote (stdout and stderr), parsed. */
export interface ChildOutput {
  records(): Record<string, unknown>[];
  /** Lines at level fatal (pino 60), or the server's "fatal error, exiting". */
  fatalLines(): string[];
}

/** Reads a spawned backend's log output (pino JSON, one object per line; other lines are skipped). */
export function watchChildOutput(spawned: Spawned): ChildOutput {
  const records = () =>
    `${spawned.stdout()}\n${spawned.stderr()}`
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    records,
    fatalLines: () => records().filter((r) => Number(r.level) >= 60 || r.msg === 'fatal error, exiting').map((r) => JSON.stringify(r).slice(0, 2000)),
  };
}
