// `npm run check:project`: checks src/app and the profiles offline with HubSpot's own parser, then checks the
// manifest URLs against the backend's routes. The schema hook must be registered before PPL is loaded, which is
// why the check itself is imported dynamically below; HubSpot's server schema stays the authority, so run a real
// `hs project validate` before release.
import './project-check/register-schema-hooks.mjs';

const { runProjectCheckCli } = await import('./project-check/cli.js');
process.exitCode = await runProjectCheckCli(process.argv.slice(2));
