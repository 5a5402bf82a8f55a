import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { loadProjectManifests } from '../manifests.js';
import { startReceiver } from '../outbound/__support__/receiver.js';
import type { Receiver } from '../outbound/__support__/receiver.js';
import { createWorkflowControlRouter, createWorkflowEngine } from './engine.js';
import type { WorkflowEngine } from './types.js';

let receiver: Receiver;
let engine: WorkflowEngine;
let app: express.Express;

beforeAll(async () => {
  receiver = await startReceiver((req) =>
    req.path.includes('/options/') ? { status: 200, body: { options: [] } } : { status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS' } } },
  );
  const { workflowActions } = loadProjectManifests({ srcDir: path.resolve('src'), backendUrl: receiver.url });
  engine = createWorkflowEngine({
    actions: workflowActions,
    clientSecret: 'secret',
    appId: 1,
    now: () => Date.now(),
    timeScale: 0.001,
    timeoutMs: 1_000_000,
    getObject: (_portalId, objectType) => (objectType === 'CONTACT' ? { email: 'jane@example.com' } : undefined),
  });
  app = express();
  app.use(createWorkflowControlRouter(engine));
});

afterAll(async () => {
  await engine.stop();
  await receiver.close();
});

describe('POST /_emulator/workflows/execute', () => {
  it('when the body is invalid, then it answers 400 invalid_body and runs nothing', async () => {
    const res = await request(app).post('/_emulator/workflows/execute').send({ portalId: 'x', actionUid: 'pause-ai' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(receiver.requests).toHaveLength(0);
  });

  it('when inputFields break the definition, then it answers 400 invalid_input_fields with details', async () => {
    const res = await request(app)
      .post('/_emulator/workflows/execute')
      .send({ portalId: 1, actionUid: 'send-to-ai', objectType: 'CONTACT', objectId: 5, inputFields: { priority: 'urgent' } });
    expect(res.status).toBe(400);
    expect(res.body).toStrictEqual({
      error: {
        code: 'invalid_input_fields',
        message: 'Input fields are invalid',
        details: [
          { path: 'inputFields.instructions', message: 'Required' },
          { path: 'inputFields.priority', message: 'Not one of the options: urgent (allowed: low, normal, high)' },
        ],
      },
    });
  });

  it('when the record does not exist, then it answers 404 object_not_found', async () => {
    const res = await request(app).post('/_emulator/workflows/execute').send({ portalId: 1, actionUid: 'pause-ai', objectType: 'TICKET', objectId: 5 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('object_not_found');
  });

  it('when valid, then it answers the finished record, readable again from /_emulator/executions', async () => {
    const res = await request(app)
      .post('/_emulator/workflows/execute')
      .send({ portalId: 1, actionUid: 'pause-ai', objectType: 'contact', objectId: 5, inputFields: { reason: 'r' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'SUCCESS', objectType: 'CONTACT', request: { object: { properties: { email: 'jane@example.com' } } } });
    const one = await request(app).get(`/_emulator/executions/${res.body.id as string}`);
    expect(one.status).toBe(200);
    expect(one.body.callbackId).toBe(res.body.callbackId);
    expect((await request(app).get('/_emulator/executions?portalId=1')).body.executions).toHaveLength(1);
    expect((await request(app).get('/_emulator/executions?portalId=2')).body.executions).toHaveLength(0);
    expect((await request(app).get('/_emulator/executions/exec-999')).status).toBe(404);
  });

  it('when wait is false, then it answers 202 with the PENDING record', async () => {
    const res = await request(app)
      .post('/_emulator/workflows/execute')
      .send({ portalId: 3, actionUid: 'resume-ai', objectType: 'CONTACT', objectId: 5, wait: false });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('PENDING');
  });
});

describe('POST /_emulator/workflows/options', () => {
  it('when the field has an optionsUrl, then it answers the backend’s status and body', async () => {
    const res = await request(app).post('/_emulator/workflows/options').send({ portalId: 1, actionUid: 'request-handoff', inputFieldName: 'team' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 200, body: { options: [] } });
  });

  it('when the field has none, then it answers 400 invalid_options_field', async () => {
    const res = await request(app).post('/_emulator/workflows/options').send({ portalId: 1, actionUid: 'pause-ai', inputFieldName: 'reason' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_options_field');
  });
});
