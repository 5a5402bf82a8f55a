import { describe, expect, it } from '@jest/globals';
import { createRouteCache } from './route-cache.js';

type Summary = { organizationId: string };

function setup(options: { maxEntries?: number } = {}) {
  let t = 0;
  const cache = createRouteCache<Summary>({ ttlMs: 1_000, negativeTtlMs: 100, now: () => t, ...options });
  cache.setListening(true);
  let loads = 0;
  const load = (value: Summary | undefined) => async () => {
    loads++;
    return value;
  };
  return { cache, load, loads: () => loads, advance: (ms: number) => (t += ms) };
}

describe('route cache', () => {
  it('when a portal is looked up twice, then the second answer comes from the cache', async () => {
    const { cache, load, loads } = setup();
    expect(await cache.get(1, load({ organizationId: 'o1' }))).toStrictEqual({ organizationId: 'o1' });
    expect(await cache.get(1, load({ organizationId: 'other' }))).toStrictEqual({ organizationId: 'o1' });
    expect(loads()).toBe(1);
    expect(cache.stats()).toStrictEqual({ hits: 1, misses: 1, size: 1, listening: true });
  });

  it('when a notification names the portal, then the next lookup reads again', async () => {
    const { cache, load } = setup();
    await cache.get(1, load({ organizationId: 'o1' }));
    cache.onNotify('1');
    expect(await cache.get(1, load({ organizationId: 'o2' }))).toStrictEqual({ organizationId: 'o2' });
  });

  it('when a notification arrives while a lookup is reading, then that read is answered but not cached', async () => {
    const { cache, load, loads } = setup();
    let release!: () => void;
    const slow = cache.get(1, async () => {
      await new Promise<void>((r) => (release = r));
      return { organizationId: 'old' };
    });
    cache.onNotify('1');
    release();
    expect(await slow).toStrictEqual({ organizationId: 'old' });
    expect(await cache.get(1, load({ organizationId: 'new' }))).toStrictEqual({ organizationId: 'new' });
    expect(loads()).toBe(1);
  });

  it('when a portal is unknown, then that answer lives for the short negative TTL only', async () => {
    const { cache, load, advance } = setup();
    expect(await cache.get(7, load(undefined))).toBeUndefined();
    expect(await cache.get(7, load({ organizationId: 'o7' }))).toBeUndefined();
    advance(101);
    expect(await cache.get(7, load({ organizationId: 'o7' }))).toStrictEqual({ organizationId: 'o7' });
    advance(999);
    expect(await cache.get(7, load({ organizationId: 'o8' }))).toStrictEqual({ organizationId: 'o7' });
    advance(2);
    expect(await cache.get(7, load({ organizationId: 'o8' }))).toStrictEqual({ organizationId: 'o8' });
  });

  it('when it is not listening, then every lookup reads and nothing is kept', async () => {
    const { cache, load, loads } = setup();
    await cache.get(1, load({ organizationId: 'o1' }));
    cache.setListening(false);
    expect(cache.stats().size).toBe(0);
    await cache.get(1, load({ organizationId: 'o1' }));
    await cache.get(1, load({ organizationId: 'o1' }));
    expect(loads()).toBe(3);
    expect(cache.stats().size).toBe(0);
  });

  it('when a truncate notification (`*`) arrives, then every entry goes', async () => {
    const { cache, load } = setup();
    await cache.get(1, load({ organizationId: 'o1' }));
    await cache.get(2, load({ organizationId: 'o2' }));
    cache.onNotify('*');
    expect(cache.stats().size).toBe(0);
  });

  it('when the cache is full, then the oldest entry makes room', async () => {
    const { cache, load, loads } = setup({ maxEntries: 2 });
    await cache.get(1, load({ organizationId: 'o1' }));
    await cache.get(2, load({ organizationId: 'o2' }));
    await cache.get(3, load({ organizationId: 'o3' }));
    expect(cache.stats().size).toBe(2);
    await cache.get(3, load({ organizationId: 'x' }));
    await cache.get(1, load({ organizationId: 'o1 again' }));
    expect(loads()).toBe(4);
  });
});
