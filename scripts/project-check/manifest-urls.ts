import type { IntermediateRepresentation } from '@hubspot/project-parsing-lib/translate';

/** A URL in a component's config that HubSpot calls, after the profile's variables were substituted. */
export interface ManifestUrl {
  /** The component file, relative to srcDir (PPL's `metaFilePath`). */
  metaFilePath: string;
  /** Dotted path inside the file, in PPL's style, e.g. `config.inputFields.1.typeDefinition.optionsUrl`. */
  field: string;
  url: string;
}

/** The app component's URL lists that must point back at the backend. */
export interface AppUrls {
  metaFilePath: string;
  redirectUrls: string[];
  fetchUrls: string[];
}

/**
 * Every URL HubSpot sends requests to: each workflow action's `actionUrl` and `optionsUrl`s, and the webhooks
 * `targetUrl`. Fields that are absent are skipped: the schema check already reports them.
 */
export function collectCalledUrls(ir: IntermediateRepresentation): ManifestUrl[] {
  const urls: ManifestUrl[] = [];
  for (const node of Object.values(ir.intermediateNodesIndexedByUid)) {
    const config = asRecord(node.config);
    const push = (field: string, url: unknown): void => {
      if (typeof url === 'string') urls.push({ metaFilePath: node.metaFilePath, field, url });
    };
    if (node.componentType === 'WORKFLOW_ACTION') {
      push('config.actionUrl', config.actionUrl);
      asArray(config.inputFields).forEach((field, index) => {
        push(`config.inputFields.${index}.typeDefinition.optionsUrl`, asRecord(asRecord(field).typeDefinition).optionsUrl);
      });
    } else if (node.componentType === 'WEBHOOKS') {
      push('config.settings.targetUrl', asRecord(config.settings).targetUrl);
    }
  }
  return urls;
}

/** The app component's `auth.redirectUrls` and `permittedUrls.fetch`, or `undefined` without an app component. */
export function collectAppUrls(ir: IntermediateRepresentation): AppUrls | undefined {
  const app = Object.values(ir.intermediateNodesIndexedByUid).find((node) => node.componentType === 'APPLICATION');
  if (!app) return undefined;
  const config = asRecord(app.config);
  const strings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');
  return {
    metaFilePath: app.metaFilePath,
    redirectUrls: strings(asRecord(config.auth).redirectUrls),
    fetchUrls: strings(asRecord(config.permittedUrls).fetch),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
