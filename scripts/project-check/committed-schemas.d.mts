/** Folder holding one sub-folder of component schemas per platform version. */
export declare const SCHEMA_ROOT: string;
/** Reads the committed schemas of one platform version into PPL's map: internal type → JSON schema. */
export declare function loadCommittedSchemas(platformVersion: string, schemaRoot?: string): Record<string, object>;
/** Drop-in for PPL's network schema fetch, answered from the committed files. */
export declare function getIntermediateRepresentationSchema(translationContext: {
  platformVersion: string;
}): Promise<Record<string, object>>;
