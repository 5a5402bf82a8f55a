// Builds the OpenAPI 3.1 document of the vendor API from the operation table and the zod schemas
// (zod's own JSON Schema output, draft 2020-12, which is OpenAPI 3.1's schema dialect).
import { z } from 'zod';
import { API_OPERATIONS, openApiPath, type ApiOperation } from './api-operations.js';
import { namedResponseSchemas } from './api-responses.schemas.js';
import { PUSH_SIGNATURE_DESCRIPTION, VENDOR_EVENTS, VENDOR_EVENT_TYPES, vendorEventEnvelope } from './event-catalogue.js';

type Json = Record<string, unknown>;

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const STANDARD_ERRORS: Record<string, string> = {
  400: 'Invalid input: `error.details` lists each problem',
  401: 'Missing or unknown API key',
  404: 'Not found',
  409: 'Conflict with the current state (`invalid_transition`, `portal_conflict`, …)',
  429: 'Too many requests: wait for `Retry-After` seconds',
  503: 'HubSpot or the database is unavailable: retry later',
};

/** JSON Schema of a zod schema, without the `$schema` key (the document sets the dialect once). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

function parameters(op: ApiOperation): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [['path', op.params], ['query', op.query]] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, prop] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = prop;
      out.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  // The proxy's rest-of-path parameter has no zod schema: any HubSpot path.
  if (op.path.includes(':hubspotPath')) out.push({ name: 'hubspotPath', in: 'path', required: true, schema: { type: 'string' }, description: 'HubSpot API path, slashes included' });
  return out;
}

function operation(op: ApiOperation): Json {
  const responses: Json = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const schema = spec.schema === 'any' ? {} : spec.schema ? { $ref: `#/components/schemas/${spec.schema}` } : undefined;
    responses[status] = { description: spec.description, ...(schema ? { content: { 'application/json': { schema } } } : {}) };
  }
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    if (!(status in responses)) responses[status] = { description, content: { 'application/json': { schema: ERROR_REF } } };
  }
  responses.default = { description: 'Any other error', content: { 'application/json': { schema: ERROR_REF } } };
  const body = op.body ? jsonSchema(op.body, 'input') : op.bodyOptional ? {} : undefined;
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: op.auth === 'none' ? [] : [{ [op.auth === 'admin' ? 'adminKey' : 'organizationKey']: [] }],
    ...(parameters(op).length > 0 ? { parameters: parameters(op) } : {}),
    ...(body ? { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

function webhooks(): Json {
  const out: Json = {};
  for (const type of VENDOR_EVENT_TYPES) {
    out[type] = {
      post: {
        operationId: `event_${type.replace(/\W/g, '_')}`,
        tags: ['Events'],
        summary: VENDOR_EVENTS[type].summary,
        // Not an authenticated call but a signed one: the signature headers below.
        security: [],
        description: `Pushed to your event destination (and listed by \`GET /api/v1/events\`) with \`type: "${type}"\`.\n\n${PUSH_SIGNATURE_DESCRIPTION}`,
        parameters: [
          { name: 'X-Switchboard-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' }, description: 'v1=hex(HMAC-SHA256(secret, timestamp + "." + raw body))' },
          { name: 'X-Switchboard-Timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^\\d+$' }, description: 'Milliseconds since the Unix epoch' },
          { name: 'X-Switchboard-Event-Id', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'X-Switchboard-Event-Type', in: 'header', required: true, schema: { type: 'string', const: type } },
          { name: 'X-Switchboard-Delivery-Attempt', in: 'header', required: true, schema: { type: 'string', pattern: '^\\d+$' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(vendorEventEnvelope(type), 'output') } } },
        responses: { '2XX': { description: 'Received. Any other answer, or none within 10 seconds, is retried.' } },
      },
    };
  }
  return out;
}

function components(): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(namedResponseSchemas)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Json> };
  const clean: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    clean[id] = rest;
  }
  return {
    schemas: clean,
    securitySchemes: {
      organizationKey: { type: 'http', scheme: 'bearer', description: 'The organization API key (from `POST /api/v1/organizations`)' },
      adminKey: { type: 'http', scheme: 'bearer', description: "The deployment's ADMIN_API_KEY" },
    },
  };
}

const TAG_DESCRIPTIONS: Record<ApiOperation['tag'], string> = {
  Reference: 'This reference, machine-readable.',
  Organizations: 'One organization per customer of yours; its API key authenticates every other call.',
  Connection: "The customer's HubSpot connection: install links, status, history, disconnect, Private App migration.",
  Conversations: 'Your chat sessions linked to HubSpot records, and the AI state of each (pause, resume, handoff).',
  'Workflow actions': 'What the HubSpot workflow actions need from you: handoff teams and Send to AI results.',
  Events: 'What happened, as a feed and as signed pushes (each type is listed under webhooks).',
  Settings: 'Organization settings.',
  Troubleshooting: 'HubSpot webhook deliveries as they were received and processed.',
  'HubSpot proxy': "Call HubSpot's API with the organization's token.",
  'Help desk': "Your AI conversations in HubSpot's inbox and help desk (a custom channel): connect an inbox, publish turns, report delivery of agent replies.",
};

let cached: Json | undefined;

/**
 * The OpenAPI 3.1 document of the vendor API: every /api/v1 operation and every vendor event
 * (under `webhooks`). Built once per process; `serverUrl` is the public base URL.
 */
export function buildOpenApiDocument(serverUrl?: string): Json {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard vendor API',
      version: '1',
      summary: "Connect your AI support platform to your customers' HubSpot accounts.",
      description:
        'Create an organization per customer, send its HubSpot admin an install link, link your chat sessions to HubSpot records, and follow AI state through events (pull `GET /api/v1/events` or receive signed pushes).\n\n' +
        PUSH_SIGNATURE_DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    paths: paths(),
    webhooks: webhooks(),
    components: components(),
  };
  return serverUrl ? { ...cached, servers: [{ url: serverUrl }] } : cached;
}

function paths(): Json {
  const out: Record<string, Json> = {};
  for (const op of API_OPERATIONS) {
    const path = openApiPath(op.path);
    out[path] = { ...out[path], [op.method]: operation(op) };
  }
  return out;
}
