// Property validation the way HubSpot reports it: a 400 VALIDATION_ERROR whose message embeds the list
// of per-property problems ("Property values were not valid: [...]"). Only the properties whose rules
// matter to Switchboard are checked; any other name is accepted as a free-text property.
import { validationError } from '../http/errors.js';
import { findOwner } from './portals.js';
import type { StateContext } from './store.js';
import type { ObjectType } from './types.js';

/** A property value as clients send it; HubSpot stores every value as a string. */
export type PropertyInput = string | number | boolean | null;

/** The default ticket pipeline ("0") and its stages, as in a new HubSpot portal. */
export const ticketPipelineStages: Record<string, string> = { '1': 'New', '2': 'Waiting on contact', '3': 'Waiting on us', '4': 'Closed' };

const readOnly = new Set(['hs_object_id', 'createdate', 'hs_createdate', 'hs_lastmodifieddate', 'lastmodifieddate']);
const priorities = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/**
 * Normalises values to strings (null → '' which clears) and checks the known rules.
 * @param mode `create` also checks properties HubSpot requires on creation
 * @returns the normalised properties
 * @throws HttpError 400 VALIDATION_ERROR listing every invalid property
 */
export function validateProperties(
  ctx: StateContext,
  portalId: number,
  type: ObjectType,
  input: Record<string, PropertyInput>,
  mode: 'create' | 'update',
): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  const problem = (name: string, error: string, message: string) => problems.push({ isValid: false, message, error, name });
  for (const [name, raw] of Object.entries(input)) {
    const value = raw === null ? '' : String(raw);
    if (readOnly.has(name)) {
      problem(name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`);
      continue;
    }
    if (name === 'hubspot_owner_id' && value !== '' && !isKnownOwner(ctx, portalId, value)) {
      problem(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`);
    }
    if (type === 'tickets' && name === 'hs_pipeline' && value !== '0') {
      problem(name, 'INVALID_OPTION', `${value} was not one of the allowed options: [0]`);
    }
    if (type === 'tickets' && name === 'hs_pipeline_stage' && !(value in ticketPipelineStages)) {
      problem(name, 'INVALID_OPTION', `${value} was not one of the allowed options: [${Object.keys(ticketPipelineStages).join(', ')}]`);
    }
    if (type === 'tickets' && name === 'hs_ticket_priority' && value !== '' && !priorities.includes(value)) {
      problem(name, 'INVALID_OPTION', `${value} was not one of the allowed options: [${priorities.join(', ')}]`);
    }
    out[name] = value;
  }
  if (mode === 'create') {
    const required = type === 'tickets' ? ['hs_pipeline_stage'] : type === 'notes' ? ['hs_timestamp'] : [];
    for (const name of required) {
      if (!out[name]) problem(name, 'REQUIRED_PROPERTY', `${name} is required`);
    }
  }
  if (problems.length > 0) {
    throw validationError(`Property values were not valid: ${JSON.stringify(problems)}`, {
      errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
    });
  }
  return out;
}

function isKnownOwner(ctx: StateContext, portalId: number, value: string): boolean {
  const id = Number(value);
  return /^\d+$/.test(value) && findOwner(ctx, portalId, id)?.archived === false;
}
