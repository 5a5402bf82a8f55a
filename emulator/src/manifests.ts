// Reads the project's own HubSpot manifests (src/app/**/*-hsmeta.json) the way HubSpot's project
// parser does (@hubspot/project-parsing-lib): profile variables substituted in `uid` and inside `config`
// (profile-variables.ts), component files taken only directly from their feature folder. The emulator drives the same contract
// HubSpot will, so nothing here is hard-coded to Switchboard's actions or subscriptions.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { isRecord, loadProfile, readJson, resolveVariables, type Variables } from './profile-variables.js';

export { resolveVariables, type Variables } from './profile-variables.js';

/** One webhook subscription, normalised from `crmObjects`, `legacyCrmObjects` or `hubEvents`. */
export interface Subscription {
  /** `object.creation` (generic form), `ticket.propertyChange` (legacy form) or a hub event type. */
  subscriptionType: string;
  /** Generic `object.*` subscriptions only, e.g. `contact`. */
  objectType?: string;
  /** `propertyChange` subscriptions on CRM objects. */
  propertyName?: string;
  active: boolean;
}

/** The parts of `app-hsmeta.json` the emulator needs. */
export interface AppManifest {
  uid: string;
  requiredScopes: string[];
  optionalScopes: string[];
  redirectUrls: string[];
  /** `permittedUrls.fetch`: origins a card may reach with `hubspot.fetch`. */
  permittedFetch: string[];
}

/** The singleton `webhooks` component. */
export interface WebhooksManifest {
  targetUrl: string;
  maxConcurrentRequests: number;
  subscriptions: Subscription[];
}

/** A static option of an enumeration field. */
export interface FieldOption {
  value: string;
  label: string;
  description?: string;
  displayOrder?: number;
  hidden?: boolean;
  readOnly?: boolean;
}

/**
 * `typeDefinition` of an input or output field
 * (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference).
 */
export interface FieldTypeDefinition {
  name: string;
  type: string;
  fieldType?: string;
  options?: FieldOption[];
  optionsUrl?: string;
  referencedObjectType?: string;
  label?: string;
  description?: string;
  helpText?: string;
}

/** One entry of `inputFields[]`. */
export interface InputFieldDefinition {
  typeDefinition: FieldTypeDefinition;
  supportedValueTypes: string[];
  isRequired: boolean;
}

/** One entry of `outputFields[]`. */
export interface OutputFieldDefinition {
  typeDefinition: FieldTypeDefinition;
}

/** Maps a response (matched by `conditions`) to `labels.<lang>.executionRules[labelName]`. */
export interface ExecutionRule {
  labelName: string;
  /** Output field name → allowed value, or a list of allowed values. */
  conditions: Record<string, unknown>;
}

/** `labels.<lang>` of a workflow action; only the keys the emulator reads are typed. */
export interface ActionLabels {
  actionName: string;
  executionRules?: Record<string, string>;
  [key: string]: unknown;
}

/** A custom workflow action as declared in `src/app/workflow-actions/*-hsmeta.json`. */
export interface WorkflowActionDefinition {
  uid: string;
  actionUrl: string;
  /** `isPublished` after profile variables; HubSpot's default is false (only the developer's test accounts see it). */
  isPublished: boolean;
  objectTypes: string[];
  objectRequestOptions: { properties: string[] };
  inputFields: InputFieldDefinition[];
  outputFields: OutputFieldDefinition[];
  executionRules: ExecutionRule[];
  labels: Record<string, ActionLabels>;
}

/** Everything the emulator reads from the project. */
export interface ProjectManifests {
  app: AppManifest;
  /** The profile's variables as applied (`BACKEND_URL` overridden when asked); UI extensions get them as `context.variables`. */
  variables: Variables;
  webhooks?: WebhooksManifest;
  workflowActions: WorkflowActionDefinition[];
  /** The profile's `accountId`: the developer's test portal, the only one that sees unpublished actions. */
  developerPortalId?: number;
}

/** Options of {@link loadProjectManifests}. */
export interface LoadManifestsOptions {
  /** The project's `srcDir` (holds `app/` and the `hsprofile.*.json` files). */
  srcDir: string;
  /** Profile name (`src/hsprofile.<name>.json`); defaults to `local` when that file exists. */
  profile?: string;
  /** Replaces `${BACKEND_URL}` so the manifests point at the backend under test (trailing `/` dropped). */
  backendUrl?: string;
}

/**
 * Loads the app, webhooks and workflow-action manifests with profile variables resolved.
 * @param opts where the project lives, which profile to apply and an optional backend URL override
 * @returns the normalised manifests
 * @throws Error when a file is missing or malformed, or a used URL still holds an unresolved `${var}`
 */
export function loadProjectManifests(opts: LoadManifestsOptions): ProjectManifests {
  const { variables, accountId } = loadProfile(opts);
  const appDir = path.join(opts.srcDir, 'app');
  const appFile = path.join(appDir, 'app-hsmeta.json');
  const app = parseApp(readComponent(appFile, 'app', variables), appFile);
  const webhooksFiles = listComponentFiles(path.join(appDir, 'webhooks'));
  if (webhooksFiles.length > 1) {
    throw new Error(`webhooks is a singleton component, found ${webhooksFiles.length} files`);
  }
  const webhooksFile = webhooksFiles[0];
  const webhooks =
    webhooksFile === undefined
      ? undefined
      : parseWebhooks(readComponent(webhooksFile, 'webhooks', variables), webhooksFile);
  const workflowActions = listComponentFiles(path.join(appDir, 'workflow-actions')).map((file) =>
    parseWorkflowAction(readComponent(file, 'workflow-action', variables), file),
  );
  return { app, variables, ...(webhooks ? { webhooks } : {}), workflowActions, ...(accountId !== undefined ? { developerPortalId: accountId } : {}) };
}

// Only files directly in the feature folder count; HubSpot skips nested ones (`locateHsMetaFiles` in
// @hubspot/project-parsing-lib lists them as skipped;
// https://developers.hubspot.com/docs/apps/developer-platform/build-apps/app-configuration).
function listComponentFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('-hsmeta.json'))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

interface Component {
  uid: string;
  config: Record<string, unknown>;
}

function readComponent(file: string, type: string, variables: Variables): Component {
  const raw = readJson(file);
  if (!isRecord(raw)) throw new Error(`${file}: not a JSON object`);
  if (raw.type !== type) throw new Error(`${file}: expected type "${type}", got ${JSON.stringify(raw.type)}`);
  const uid = resolveVariables(raw.uid, variables);
  const config = resolveVariables(raw.config, variables);
  if (typeof uid !== 'string' || uid === '') throw new Error(`${file}: uid must be a non-empty string`);
  if (!isRecord(config)) throw new Error(`${file}: config must be an object`);
  return { uid, config };
}

function parseApp({ uid, config }: Component, file: string): AppManifest {
  const auth = isRecord(config.auth) ? config.auth : {};
  const permitted = isRecord(config.permittedUrls) ? config.permittedUrls : {};
  return {
    uid,
    requiredScopes: stringList(auth.requiredScopes, file, 'auth.requiredScopes'),
    optionalScopes: stringList(auth.optionalScopes, file, 'auth.optionalScopes'),
    redirectUrls: stringList(auth.redirectUrls, file, 'auth.redirectUrls').map((u) => resolvedUrl(u, file)),
    permittedFetch: stringList(permitted.fetch, file, 'permittedUrls.fetch').map((u) => resolvedUrl(u, file)),
  };
}

function parseWebhooks({ config }: Component, file: string): WebhooksManifest {
  const settings = isRecord(config.settings) ? config.settings : {};
  const targetUrl = settings.targetUrl;
  if (typeof targetUrl !== 'string') throw new Error(`${file}: settings.targetUrl is required`);
  const max = settings.maxConcurrentRequests;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new Error(`${file}: settings.maxConcurrentRequests must be a positive integer`);
  }
  const groups = isRecord(config.subscriptions) ? config.subscriptions : {};
  const subscriptions: Subscription[] = [];
  for (const group of ['crmObjects', 'legacyCrmObjects', 'hubEvents'] as const) {
    const list = groups[group] ?? [];
    if (!Array.isArray(list)) throw new Error(`${file}: subscriptions.${group} must be an array`);
    for (const entry of list) subscriptions.push(parseSubscription(entry, file, group));
  }
  return { targetUrl: resolvedUrl(targetUrl, file), maxConcurrentRequests: max, subscriptions };
}

function parseSubscription(entry: unknown, file: string, group: string): Subscription {
  if (!isRecord(entry) || typeof entry.subscriptionType !== 'string') {
    throw new Error(`${file}: every subscriptions.${group} entry needs a subscriptionType`);
  }
  const sub: Subscription = { subscriptionType: entry.subscriptionType, active: entry.active === true };
  if (typeof entry.objectType === 'string') sub.objectType = entry.objectType.toLowerCase();
  if (typeof entry.propertyName === 'string') sub.propertyName = entry.propertyName;
  if (group === 'crmObjects' && sub.objectType === undefined) {
    throw new Error(`${file}: crmObjects subscription ${sub.subscriptionType} needs an objectType`);
  }
  return sub;
}

function parseWorkflowAction({ uid, config }: Component, file: string): WorkflowActionDefinition {
  if (typeof config.actionUrl !== 'string') throw new Error(`${file}: actionUrl is required`);
  const requestOptions = isRecord(config.objectRequestOptions) ? config.objectRequestOptions : {};
  const labels = isRecord(config.labels) ? config.labels : {};
  if (!isRecord(labels.en) || typeof labels.en.actionName !== 'string') {
    throw new Error(`${file}: labels.en.actionName is required`);
  }
  return {
    uid,
    actionUrl: resolvedUrl(config.actionUrl, file),
    isPublished: config.isPublished === true,
    objectTypes: stringList(config.objectTypes, file, 'objectTypes'),
    objectRequestOptions: { properties: stringList(requestOptions.properties, file, 'objectRequestOptions') },
    inputFields: recordList(config.inputFields, file, 'inputFields').map((f) => parseInputField(f, file)),
    outputFields: recordList(config.outputFields, file, 'outputFields').map((f) => ({
      typeDefinition: parseTypeDefinition(f.typeDefinition, file),
    })),
    executionRules: recordList(config.executionRules, file, 'executionRules').map((rule) => {
      if (typeof rule.labelName !== 'string' || !isRecord(rule.conditions)) {
        throw new Error(`${file}: executionRules entries need labelName and conditions`);
      }
      return { labelName: rule.labelName, conditions: rule.conditions };
    }),
    labels: labels as Record<string, ActionLabels>,
  };
}

function parseInputField(field: Record<string, unknown>, file: string): InputFieldDefinition {
  return {
    typeDefinition: parseTypeDefinition(field.typeDefinition, file),
    supportedValueTypes: stringList(field.supportedValueTypes, file, 'supportedValueTypes'),
    isRequired: field.isRequired === true,
  };
}

function parseTypeDefinition(raw: unknown, file: string): FieldTypeDefinition {
  if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.type !== 'string') {
    throw new Error(`${file}: every field needs typeDefinition.name and typeDefinition.type`);
  }
  const def = { ...raw } as unknown as FieldTypeDefinition;
  if (def.optionsUrl !== undefined) def.optionsUrl = resolvedUrl(def.optionsUrl, file);
  return def;
}

function resolvedUrl(url: string, file: string): string {
  if (/\$\{[^}]+\}/.test(url)) throw new Error(`${file}: unresolved profile variable in ${url}`);
  return url;
}

function stringList(value: unknown, file: string, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${file}: ${field} must be an array of strings`);
  }
  return value;
}

function recordList(value: unknown, file: string, field: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new Error(`${file}: ${field} must be an array of objects`);
  return value;
}
