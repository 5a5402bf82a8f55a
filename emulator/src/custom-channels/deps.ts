// What the custom channel operations need besides the state: the app and the webhook sender.
import type { EmulatorState } from '../state.js';
import type { StateContext } from '../state/store.js';
import type { Channel } from './types.js';
import type { ChannelWebhooks } from './webhooks.js';

/** Dependencies of the custom channel operations and routes. */
export interface ChannelDeps {
  state: EmulatorState;
  appId: number;
  webhooks: ChannelWebhooks;
  faults: ChannelFaults;
}

/**
 * Faults only custom channels have: the next `lostPublishAnswers` publishes are stored and then
 * answered 500, as when HubSpot's answer is lost after the write (what `integrationIdempotencyId` is for).
 */
export interface ChannelFaults {
  lostPublishAnswers: number;
}

/** Fresh channel faults (none pending). */
export function createChannelFaults(): ChannelFaults & { reset(): void } {
  const faults = {
    lostPublishAnswers: 0,
    reset() {
      faults.lostPublishAnswers = 0;
    },
  };
  return faults;
}

/**
 * Sends an event to the channel's `webhookUrl`; a channel without one gets nothing (HubSpot says the
 * URL is where it notifies, so there is nowhere to send).
 */
export function emitChannelEvent(deps: ChannelDeps, channel: Channel, portalId: number, type: string, fields: Record<string, unknown>): void {
  if (channel.webhookUrl === null) return;
  const ctx: StateContext = deps.state.ctx;
  deps.webhooks.send({
    url: channel.webhookUrl,
    portalId,
    channelId: channel.id,
    payload: {
      type,
      portalId: String(portalId),
      channelId: String(channel.id),
      eventId: String(ctx.unique.next()),
      eventTimestamp: new Date(ctx.now()).toISOString(),
      ...fields,
    },
  });
}
