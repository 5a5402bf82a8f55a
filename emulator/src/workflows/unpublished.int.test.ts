// Unpublished workflow actions: HubSpot shows an action whose isPublished is false only in the developer's test
// accounts. The emulator reads the profile's accountId as that portal, from a copy of the project whose local
// profile leaves PUBLISH_ACTIONS false.
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectManifests } from '../manifests.js';
import { startReceiver } from '../outbound/__support__/receiver.js';
import { createWorkflowEngine, WorkflowRequestError } from './engine.js';
import type { WorkflowEngine } from './types.js';

const DEVELOPER_PORTAL = 777_001;
const CUSTOMER_PORTAL = 62515;
const TICKET = 904;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A copy of src/ whose local profile deploys to DEVELOPER_PORTAL with the actions unpublished (or published). */
function projectCopy(publish: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-unpublished-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.resolve(process.cwd(), 'src'), dir, { recursive: true, filter: (source) => !source.split(path.sep).includes('node_modules') });
  const file = path.join(dir, 'hsprofile.local.json');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { accountId: number; variables: Record<string, unknown> };
  profile.accountId = DEVELOPER_PORTAL;
  profile.variables.PUBLISH_ACTIONS = publish;
  fs.writeFileSync(file, JSON.stringify(profile));
  return dir;
}

async function setup(publish: boolean): Promise<{ engine: WorkflowEngine; calls: () => number }> {
  const receiver = await startReceiver(() => ({ status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS', ai_state: 'paused' } } }));
  const manifests = loadProjectManifests({ srcDir: projectCopy(publish), profile: 'local', backendUrl: receiver.url });
  const engine = createWorkflowEngine({
    actions: manifests.workflowActions,
    ...(manifests.developerPortalId !== undefined ? { developerPortalId: manifests.developerPortalId } : {}),
    clientSecret: 'unpublished-test-secret',
    appId: 54321,
    now: () => Date.now(),
    getObject: (_portalId, objectType, objectId) => (objectType === 'TICKET' && objectId === TICKET ? { subject: 'Printer on fire' } : undefined),
  });
  cleanups.push(() => receiver.close(), () => engine.stop());
  return { engine, calls: () => receiver.requests.length };
}

const pause = (portalId: number) => ({ portalId, actionUid: 'switchboard_pause_ai', objectType: 'TICKET', objectId: TICKET, inputFields: {} });

describe('workflow engine: unpublished actions', () => {
  it('when the profile leaves the actions unpublished, then the manifests say so and name the profile account as the developer portal', async () => {
    const manifests = loadProjectManifests({ srcDir: projectCopy(false), profile: 'local' });

    expect(manifests.developerPortalId).toBe(DEVELOPER_PORTAL);
    expect(manifests.workflowActions.map(({ uid, isPublished }) => ({ uid, isPublished }))).toStrictEqual(
      manifests.workflowActions.map(({ uid }) => ({ uid, isPublished: false })),
    );
  });

  it('when an unpublished action runs in the developer test portal, then the action URL is called and it succeeds', async () => {
    const { engine, calls } = await setup(false);

    const record = await engine.execute(pause(DEVELOPER_PORTAL));

    expect(record.state).toBe('SUCCESS');
    expect(calls()).toBe(1);
  });

  it('when an unpublished action is run or its options loaded in a customer portal, then the emulator answers 404 and calls nothing', async () => {
    const { engine, calls } = await setup(false);

    const run = engine.execute(pause(CUSTOMER_PORTAL));
    await expect(run).rejects.toBeInstanceOf(WorkflowRequestError);
    await expect(run).rejects.toMatchObject({ status: 404, code: 'action_not_found' });
    // fetchOptions refuses synchronously; the control route turns either form into the same 404.
    const options = Promise.resolve().then(() => engine.fetchOptions({ portalId: CUSTOMER_PORTAL, actionUid: 'request-handoff', inputFieldName: 'team' }));
    await expect(options).rejects.toMatchObject({
      status: 404,
      code: 'action_not_found',
    });
    expect(calls()).toBe(0);
    expect(engine.executions()).toStrictEqual([]);
  });

  it('when the actions are published, then a customer portal runs them', async () => {
    const { engine, calls } = await setup(true);

    const record = await engine.execute(pause(CUSTOMER_PORTAL));

    expect(record.state).toBe('SUCCESS');
    expect(calls()).toBe(1);
  });
});
