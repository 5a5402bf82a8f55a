import { eventually } from './eventually.js';

/**
 * Retries `assertions` (which throw until they hold) within the time bound; `eventually` for checks
 * written with `expect`, which return nothing.
 */
export async function expectEventually(assertions: () => unknown | Promise<unknown>, options?: { timeoutMs?: number; intervalMs?: number }): Promise<void> {
  await eventually(async () => {
    await assertions();
    return true;
  }, options);
}
