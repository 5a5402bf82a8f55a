// Input schemas of the control API. The control API is ours, so every object is strict: an unknown
// key is a typo in a test and fails loudly.
import { z } from 'zod';

const scopeList = z.array(z.string().min(1));
const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/**
 * A HubSpot id: HubSpot's own payloads carry the same id as a number in one place and a string in
 * another (`hubspot_owner_id` is a string property, owner `id` a string, `userId` a number), so the
 * control API takes either form and works with the number.
 */
const hubspotId = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,15}$/, 'a positive integer id').transform(Number)]);

/** `POST /_emulator/portals` */
export const createPortalSchema = z.strictObject({
  id: hubspotId.optional(),
  name: z.string().min(1).optional(),
  domain: z.string().min(1).optional(),
  timeZone: z.string().min(1).optional(),
  currency: z.string().length(3).optional(),
  superAdmin: z.strictObject({ email: z.email().optional(), firstName: z.string().optional(), lastName: z.string().optional() }).optional(),
});

/** `POST /_emulator/portals/:portalId/users` */
export const createUserSchema = z.strictObject({
  email: z.email(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  superAdmin: z.boolean().optional(),
  owner: z.boolean().optional(),
});

/** `POST /_emulator/portals/:portalId/owners` */
export const createOwnerSchema = z.strictObject({
  userId: hubspotId.optional(),
  email: z.email().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  type: z.enum(['PERSON', 'QUEUE']).optional(),
});

/** `POST /_emulator/portals/:portalId/install` */
export const installSchema = z.strictObject({
  userId: hubspotId.optional(),
  /** Defaults to the app's required + optional scopes. */
  scopes: scopeList.optional(),
});

/** `POST /_emulator/portals/:portalId/private-app-tokens` */
export const privateAppSchema = z.strictObject({ scopes: scopeList, name: z.string().min(1).optional() });

/** Who made a control-API change (defaults to the portal's super admin). */
const actor = { actorUserId: hubspotId.optional() };

/** `POST .../contacts` and `.../tickets` */
export const createRecordSchema = z.strictObject({
  properties: z.record(z.string(), propertyValue),
  /** Ticket → contact links (type 16) or contact → ticket links (type 15). */
  associatedIds: z.array(hubspotId).optional(),
  ...actor,
});

/** `PATCH .../contacts/:id` and `.../tickets/:id` */
export const updateRecordSchema = z.strictObject({ properties: z.record(z.string(), propertyValue), ...actor });

/** `PUT .../tickets/:id/owner` */
export const ticketOwnerSchema = z.strictObject({ ownerId: hubspotId.nullable(), ...actor });

/** `DELETE` and `privacy-delete` bodies (optional). */
export const actorOnlySchema = z.strictObject({ ...actor });

/** `POST .../threads` */
export const createThreadSchema = z.strictObject({
  inboxId: z.string().optional(),
  channelId: z.string().optional(),
  channelAccountId: z.string().optional(),
  associatedContactId: hubspotId.nullable().optional(),
  associatedTicketId: hubspotId.nullable().optional(),
  assignedTo: hubspotId.nullable().optional(),
  status: z.enum(['OPEN', 'CLOSED']).optional(),
  firstMessage: z.strictObject({ text: z.string().min(1), subject: z.string().optional() }).optional(),
  ...actor,
});

/** `PUT .../threads/:id/assignee` (a user id, or null to unassign) */
export const threadAssigneeSchema = z.strictObject({ userId: hubspotId.nullable(), ...actor });

/** `PUT .../threads/:id/status` */
export const threadStatusSchema = z.strictObject({ status: z.enum(['OPEN', 'CLOSED']), ...actor });

/** `POST .../threads/:id/messages`: a customer message by default, or an agent's. */
export const threadMessageSchema = z.strictObject({
  text: z.string().min(1),
  type: z.enum(['MESSAGE', 'COMMENT']).optional(),
  direction: z.enum(['INCOMING', 'OUTGOING']).optional(),
  /** Defaults to the thread's contact (`V-<id>`) for INCOMING, the actor (`A-<userId>`) for OUTGOING. */
  senderActorId: z.string().regex(/^[AVEIS]-.+$/).optional(),
  subject: z.string().optional(),
  ...actor,
});

/** `PATCH /_emulator/settings` */
export const settingsPatchSchema = z.strictObject({
  accessTokenLifetimeSeconds: z.number().int().positive().optional(),
  refreshTokenRotation: z.boolean().optional(),
  codeTtlSeconds: z.number().int().positive().optional(),
  rateLimit: z
    .strictObject({
      max: z.number().int().positive().optional(),
      intervalMs: z.number().int().positive().optional(),
      searchPerSecond: z.number().int().positive().optional(),
      privateAppDaily: z.number().int().positive().optional(),
    })
    .optional(),
});

/** `POST /_emulator/faults` */
export const faultsPatchSchema = z.strictObject({
  tokenFailures: z
    .strictObject({
      remaining: z.number().int().min(0).optional(),
      mode: z.enum(['error', 'hang', 'late']).optional(),
      status: z.number().int().min(500).max(599).optional(),
      hangMs: z.number().int().min(0).optional(),
    })
    .optional(),
  apiLatencyMs: z.number().int().min(0).optional(),
  forced429: z.number().int().min(0).optional(),
  apiFailures: z
    .strictObject({ remaining: z.number().int().min(0).optional(), status: z.number().int().min(500).max(599).optional(), match: z.string().min(1).max(500).nullable().optional() })
    .optional(),
  callbackRefusals: z.strictObject({ remaining: z.number().int().min(0).optional(), field: z.string().min(1).max(200).optional() }).optional(),
});

/** `POST /_emulator/clock/advance` */
export const advanceClockSchema = z.strictObject({ ms: z.number().int().min(0) });
