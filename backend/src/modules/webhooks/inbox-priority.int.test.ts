// A drain yields to this process's urgent work (intake, takeovers): while urgent work is in flight it
// starts no batch, and it starts one once its bound is reached (urgent work that never stops cannot
// starve processing) or once the urgent work ended. Driven by hand: no job workers run in this file,
// the bound is fired by the test, and "the drain did not go on" is read from the drain's own wait
// (it asked for its next bound) and from the stored events, never from elapsed time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../../../../test/support/eventually.js';
import { createTestBackend, type TestBackend } from '../../../../test/support/test-backend.js';
import { readBatch } from './intake.js';
import { createPriorityGate, type Waiter } from './priority-gate.js';
import { ownerChangeEvent, webhooksServiceOf } from '../../../../test/support/webhook-events.js';
import type { WebhooksService } from './webhooks.service.js';

const PORTAL = 72_001;
let nextEventId = 1;

const ownerChange = (ticketId: number) => ownerChangeEvent({ portalId: PORTAL, ticketId, eventId: nextEventId++ });

describe('drains yield to urgent work of their process', () => {
  let tb: TestBackend;
  let webhooks: WebhooksService;
  // Each bound a drain asks for, fired by the test; `asked` resolves the test's wait for the next one.
  const bounds: { fire(): void }[] = [];
  let onAsked: (() => void) | undefined;
  const wait: Waiter = () => {
    let fire!: () => void;
    const done = new Promise<void>((resolve) => (fire = resolve));
    bounds.push({ fire });
    onAsked?.();
    return { done, cancel: () => undefined };
  };
  const gate = createPriorityGate({ maxWaitMs: 50, wait });
  const nextBound = async (count: number) => {
    if (bounds.length >= count) return bounds[count - 1]!;
    await new Promise<void>((resolve) => (onAsked = () => bounds.length >= count && resolve()));
    return bounds[count - 1]!;
  };

  beforeAll(async () => {
    tb = await createTestBackend();
    const { organization } = await tb.services.organizations.createOrganization({ name: 'Priority org' });
    await tb.services.connections.applyOAuthGrant({
      organizationId: organization.id,
      grant: { portalId: PORTAL, portalDomain: null, scopes: ['oauth', 'tickets'], approvedBy: null, accessToken: 'unused-access', refreshToken: 'unused-refresh', accessExpiresAt: new Date(Date.now() + 1_800_000) },
    });
    webhooks = webhooksServiceOf(tb, { priority: gate });
  });
  afterAll(async () => {
    await tb.destroy();
  });

  const pending = async (tickets: number[]) =>
    (await tb.tdb.db.selectFrom('webhook_events').select('object_id').where('portal_id', '=', PORTAL).where('object_id', 'in', tickets).where('status', '=', 'pending').execute()).length;

  it('when urgent work is in flight, then a drain starts no batch until its bound is reached, and then processes the events', async () => {
    const tickets = [9401, 9402, 9403];
    // The intake held the gate while it stored, and let go once stored.
    expect((await webhooks.acceptBatch(readBatch(Buffer.from(JSON.stringify(tickets.map(ownerChange)))))).stored).toBe(3);
    await eventually(async () => gate.inFlight === 0, { timeoutMs: 10_000, intervalMs: 10 });

    let endUrgent!: () => void;
    const urgent = gate.hold(() => new Promise<void>((resolve) => (endUrgent = resolve)));
    const before = bounds.length;
    const drained = webhooks.drainInbox();

    // The drain waits at its first checkpoint (before claiming): nothing processed.
    const first = await nextBound(before + 1);
    expect(await pending(tickets)).toBe(3);
    first.fire();
    // Then at its second (events read, before the batch's transaction): still nothing processed.
    const second = await nextBound(before + 2);
    expect(await pending(tickets)).toBe(3);
    second.fire();
    // The batch commits; the drain's next checkpoint waits again (urgent work is still in flight).
    const third = await nextBound(before + 3);
    expect(await pending(tickets)).toBe(0);
    third.fire();
    // Nothing else is due: the drain ends.
    await expect(drained).resolves.toBe(3);
    endUrgent();
    await urgent;
  }, 60_000);

  it('when the urgent work ends, then a waiting drain goes on without its bound', async () => {
    const tickets = [9411, 9412];
    await webhooks.acceptBatch(readBatch(Buffer.from(JSON.stringify(tickets.map(ownerChange)))));
    await eventually(async () => gate.inFlight === 0, { timeoutMs: 10_000, intervalMs: 10 });

    let endUrgent!: () => void;
    const urgent = gate.hold(() => new Promise<void>((resolve) => (endUrgent = resolve)));
    const before = bounds.length;
    const drained = webhooks.drainInbox();
    await nextBound(before + 1);
    expect(await pending(tickets)).toBe(2);

    endUrgent();
    await urgent;
    // No bound fired: the drain went on because nothing urgent was left, and asked for no more bounds.
    await expect(drained).resolves.toBe(2);
    expect(await pending(tickets)).toBe(0);
    expect(bounds.length).toBe(before + 1);
  }, 60_000);

  it('when nothing urgent is in flight, then a drain processes a backlog without waiting', async () => {
    const tickets = [9421, 9422, 9423, 9424];
    await webhooks.acceptBatch(readBatch(Buffer.from(JSON.stringify(tickets.map(ownerChange)))));
    await eventually(async () => gate.inFlight === 0, { timeoutMs: 10_000, intervalMs: 10 });
    const before = bounds.length;
    await expect(webhooks.drainInbox()).resolves.toBe(4);
    expect(await pending(tickets)).toBe(0);
    expect(bounds.length).toBe(before);
  }, 60_000);
});
