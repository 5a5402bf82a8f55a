// Node module-customization hook: when @hubspot/project-parsing-lib loads its internal schemas.js (the network
// fetch), serve a module that re-exports committed-schemas.mjs instead. Everything else in PPL runs unchanged,
// so `translate(…, { skipValidation: false })` applies all of HubSpot's own checks offline.
// This depends on an internal file path of PPL, which is why package.json pins PPL exactly; checkProject() fails
// loudly when the replacement is not in effect, so a PPL upgrade that moves the file cannot pass silently.
const PPL_SCHEMAS_MODULE = '/node_modules/@hubspot/project-parsing-lib/src/lib/schemas.js';
const REPLACEMENT = new URL('./committed-schemas.mjs', import.meta.url).href;

/** Node `load` hook: swaps PPL's schema fetch for the committed schemas, passes every other module through. */
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith(PPL_SCHEMAS_MODULE)) {
    return {
      format: 'module',
      shortCircuit: true,
      source: `export { getIntermediateRepresentationSchema } from ${JSON.stringify(REPLACEMENT)};\n`,
    };
  }
  return nextLoad(url, context);
}
