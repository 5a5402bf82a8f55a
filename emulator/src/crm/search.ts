// CRM search: filterGroups are ORed, filters inside a group ANDed; a basic set of
// operators; HubSpot's limits on groups, filters, page size and the 10 000-result window.
import { z } from 'zod';
import { validationError } from '../http/errors.js';
import { parseInput } from '../http/validate.js';
import type { CrmObject, ObjectType } from '../state.js';

const supportedOperators = ['EQ', 'NEQ', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'] as const;

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
  highValue: z.union([z.string(), z.number()]).optional(),
});

/** The search request body HubSpot accepts (the parts the emulator reads). */
export const searchBodySchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).optional() })])).default([]),
  query: z.string().optional(),
  properties: z.array(z.string()).default([]),
  limit: z.number().int().min(1).max(200).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});

/** A parsed search request. */
export type SearchBody = z.infer<typeof searchBodySchema>;

// Free-text `query` looks in these, roughly like HubSpot's default searchable properties.
const queryProperties: Record<ObjectType, string[]> = {
  tickets: ['subject', 'content'],
  contacts: ['email', 'firstname', 'lastname'],
  notes: ['hs_note_body'],
};

/**
 * Validates a search body against HubSpot's limits.
 * @throws HttpError 400 VALIDATION_ERROR for a bad body, too many filters or an unsupported operator
 */
export function parseSearchBody(body: unknown, warn: (message: string) => void): SearchBody & { offset: number } {
  const parsed = parseInput(searchBodySchema, body ?? {});
  const groups = parsed.filterGroups;
  const total = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.length > 5 || groups.some((g) => g.filters.length > 6) || total > 18) {
    throw validationError(`Too many filters: at most 5 filterGroups, 6 filters per group and 18 filters in total (got ${groups.length} groups, ${total} filters)`);
  }
  for (const filter of groups.flatMap((g) => g.filters)) {
    if (!(supportedOperators as readonly string[]).includes(filter.operator)) {
      warn(`[emulator] NOT EMULATED: search operator ${filter.operator}`);
      throw validationError(`operator ${filter.operator} is not supported by the emulator (supported: ${supportedOperators.join(', ')})`);
    }
    if ((filter.operator === 'IN' || filter.operator === 'NOT_IN') && !filter.values) {
      throw validationError(`${filter.operator} needs "values" (filter on ${filter.propertyName})`);
    }
    if ((filter.operator === 'EQ' || filter.operator === 'NEQ') && filter.value === undefined) {
      throw validationError(`${filter.operator} needs "value" (filter on ${filter.propertyName})`);
    }
  }
  const offset = parsed.after === undefined || parsed.after === '' ? 0 : Number(parsed.after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`after must be a paging cursor returned by a previous search`);
  if (offset + parsed.limit > 10_000) throw validationError('Search results are limited to the first 10000 records');
  return { ...parsed, offset };
}

/** Records matching the search, sorted (default: by id ascending). */
export function runSearch(objects: CrmObject[], body: SearchBody): CrmObject[] {
  const groups = body.filterGroups.filter((g) => g.filters.length > 0);
  let hits = groups.length === 0 ? objects : objects.filter((o) => groups.some((g) => g.filters.every((f) => matches(o, f))));
  if (body.query) {
    const needle = body.query.toLowerCase();
    hits = hits.filter((o) => queryProperties[o.type].some((p) => o.properties[p]?.toLowerCase().includes(needle)));
  }
  const sort = body.sorts[0];
  const sortBy = typeof sort === 'string' ? { propertyName: sort, direction: 'ASCENDING' } : sort;
  const sorted = [...hits].sort((a, b) => a.id - b.id);
  if (!sortBy) return sorted;
  const dir = sortBy.direction === 'DESCENDING' ? -1 : 1;
  return sorted.sort((a, b) => dir * compare(a.properties[sortBy.propertyName] ?? '', b.properties[sortBy.propertyName] ?? ''));
}

function matches(object: CrmObject, filter: z.infer<typeof filterSchema>): boolean {
  const actual = object.properties[filter.propertyName];
  const norm = (v: unknown) => String(v).toLowerCase();
  switch (filter.operator) {
    case 'EQ':
      return actual !== undefined && norm(actual) === norm(filter.value);
    case 'NEQ':
      return actual === undefined || norm(actual) !== norm(filter.value);
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === '';
    case 'IN':
      return actual !== undefined && (filter.values ?? []).map(norm).includes(norm(actual));
    case 'NOT_IN':
      return actual === undefined || !(filter.values ?? []).map(norm).includes(norm(actual));
    default:
      return false;
  }
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.localeCompare(b);
}
