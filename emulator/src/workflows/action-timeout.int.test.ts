// The workflow-action attempt deadline under a shrunken clock: tests run the emulator at timeScale
// 0.01, which would also shrink HubSpot's 20 s deadline to 200 ms, so a loaded machine's slow answer
// turned into a FAILED execution (the CLI demo test failed that way). `workflowActionTimeoutMs` keeps
// the deadline in real time while every retry delay stays scaled.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createEmulatorClient } from '../../client.js';
import { createEmulator, type Emulator } from '../emulator.js';
import { startReceiver, type Receiver } from '../outbound/__support__/receiver.js';
import { seedIds } from '../state.js';

// Longer than the scaled 200 ms deadline, far shorter than the real 20 s one.
const SLOW_ANSWER_MS = 2_000;
const running: { emu: Emulator; receiver: Receiver }[] = [];

afterEach(async () => {
  for (const { emu, receiver } of running.splice(0)) {
    await emu.stop();
    await receiver.close();
  }
});

async function executeAgainstSlowBackend(extra: { workflowActionTimeoutMs?: number }) {
  const receiver = await startReceiver(() => ({ status: 200, delayMs: SLOW_ANSWER_MS, body: { outputFields: { hs_execution_state: 'SUCCESS' } } }));
  const emu = await createEmulator({ backendUrl: receiver.url, timeScale: 0.01, webhooks: false, warn: () => undefined, ...extra });
  running.push({ emu, receiver });
  const hub = createEmulatorClient(emu.url);
  const contact = await hub.createContact(seedIds.portalId, { properties: { email: 'slow@example.com' } });
  const execution = await hub.request<{ state: string; failureReason?: string; attempts: unknown[] }>('POST', '/_emulator/workflows/execute', {
    portalId: seedIds.portalId,
    actionUid: 'pause-ai',
    objectType: 'CONTACT',
    objectId: Number(contact.id),
    inputFields: { reason: 'slow machine' },
  });
  return { execution, received: receiver.requests.length };
}

describe('workflow-action attempt deadline with timeScale 0.01', () => {
  it('when workflowActionTimeoutMs is 20 s, then a 2 s answer is taken at the first attempt (SUCCESS)', async () => {
    const { execution, received } = await executeAgainstSlowBackend({ workflowActionTimeoutMs: 20_000 });
    expect(execution.state).toBe('SUCCESS');
    expect(received).toBe(1);
  });

  it('when it is left to the scale, then the deadline is 200 ms and every attempt times out (FAILED timeout)', async () => {
    const { execution, received } = await executeAgainstSlowBackend({});
    expect(execution).toMatchObject({ state: 'FAILED', failureReason: 'timeout' });
    expect(received).toBe(5);
  });
});
