// Small pure helpers of the webhook sender (sender.ts).
import type { sendOutbound } from '../outbound/http.js';

/** The delivery log's error text for a failed attempt. */
export function errorOf(result: Awaited<ReturnType<typeof sendOutbound>>): string {
  switch (result.kind) {
    case 'response':
      return `http_${result.status}`;
    case 'timeout':
      return 'timeout';
    case 'aborted':
      return 'aborted';
    case 'connection_error':
      return `connection_error: ${result.message}`;
  }
}

/** A shuffled copy (Fisher–Yates with the given random source). */
export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
