import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../backend/src/platform/logger.js';

/** A logger whose output is kept in memory, so tests can assert on lines and grep for secrets. */
export interface CapturedLogs {
  log: Logger;
  lines(): string[];
  records(): Record<string, unknown>[];
  text(): string;
}

const allCaptured: string[] = [];

/** Every line captured by any logger in this test file (for whole-suite redaction checks). */
export function allCapturedLines(): readonly string[] {
  return allCaptured;
}

/** Creates a capturing logger (level debug by default, so redaction is tested on every line). */
export function captureLogs(level: 'debug' | 'info' | 'trace' = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) {
          lines.push(line);
          allCaptured.push(line);
        }
      }
      cb();
    },
  });
  const log = createLogger({ level, destination: stream });
  return {
    log,
    lines: () => [...lines],
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}
