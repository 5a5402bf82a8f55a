// The takeover fast path. An owner set on a ticket or a thread assigned to a user pauses the AI of
// a linked conversation, and that matters within a second; the rest of a portal's traffic can wait
// in the queue. (Takeovers that need a HubSpot read first, such as a record created already owned
// or a human reply, stay on the queue: no HubSpot call is made on behalf of a web request.) Right
// after an intake commits, the receiving process looks up which of the batch's records are linked to
// an active conversation (one query per portal) and processes those events at once, as one batch,
// outside the request. The claim loop stays the safety net: if this process dies first, a drain
// processes them; if this ran first, the drain finds them done and skips them (both lock the event
// rows and handle each exactly once). These events skip their portal's queue order: the handlers'
// watermarks make an older owner change lose to a newer one whichever is applied first.
import { normalisedType } from './handle-event.js';
import { dedupeKeyOf } from './inbox-rows.js';
import { processEvents } from './process-events.js';
import { inboxQueueRepository as queue } from './inbox-queue.repository.js';
import type { ProcessingDeps } from './recovery.js';
import { organizationOf } from './route-portal.js';
import type { WebhookEvent } from './webhooks.schemas.js';

/** Whether an event pauses a linked conversation without a HubSpot read, and on which record. */
export function takeoverRecord(event: { subscriptionType: string; objectId?: number; propertyName?: string; objectTypeId?: string }): { ticketId: number } | { threadId: number } | undefined {
  if (event.objectId === undefined) return undefined;
  const type = normalisedType({ subscriptionType: event.subscriptionType, payload: { objectTypeId: event.objectTypeId } });
  if (type === 'ticket.propertyChange' && event.propertyName === 'hubspot_owner_id') return { ticketId: event.objectId };
  if (type === 'conversation.propertyChange' && event.propertyName === 'assignedTo') return { threadId: event.objectId };
  return undefined;
}

/**
 * Processes the takeover events of a just-stored batch now. Never throws: a failure leaves the
 * events to the claim loop (a failed attempt is recorded, as any is).
 */
export async function processTakeoversNow(deps: ProcessingDeps, events: readonly WebhookEvent[]): Promise<number> {
  const byPortal = new Map<number, { event: WebhookEvent; record: { ticketId: number } | { threadId: number } }[]>();
  for (const event of events) {
    const record = takeoverRecord(event);
    if (!record) continue;
    const list = byPortal.get(event.portalId) ?? [];
    list.push({ event, record });
    byPortal.set(event.portalId, list);
  }
  let processed = 0;
  for (const [portalId, candidates] of byPortal) {
    try {
      const organizationId = await organizationOf(deps, portalId);
      if (!organizationId) continue;
      const links = await deps.conversations.activeLinks(organizationId, {
        ticketIds: candidates.flatMap((c) => ('ticketId' in c.record ? [c.record.ticketId] : [])),
        threadIds: candidates.flatMap((c) => ('threadId' in c.record ? [c.record.threadId] : [])),
      });
      const tickets = new Set(links.ticketIds);
      const threads = new Set(links.threadIds);
      const urgent = candidates.filter((c) => ('ticketId' in c.record ? tickets.has(c.record.ticketId) : threads.has(c.record.threadId)));
      if (urgent.length === 0) continue;
      // Urgent: this process's drains start no step until these are processed (or their bound is
      // reached), so the takeover does not queue behind a batch of background events (priority-gate.ts).
      processed += await deps.priority.hold(async () => {
        const pending = await queue.pendingByDedupeKeys(deps.db, urgent.map((c) => dedupeKeyOf(c.event)));
        return (await processEvents(deps, pending)).finished;
      });
    } catch (err) {
      deps.log.debug({ err, portalId }, 'fast path failed; the claim loop processes the events');
    }
  }
  return processed;
}
