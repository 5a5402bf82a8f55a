// Registers schema-hooks.mjs. Must run before anything imports @hubspot/project-parsing-lib: either
// `node --import ./scripts/project-check/register-schema-hooks.mjs …` (also works as NODE_OPTIONS for the real
// `hs project validate`), or a static import at the top of a script that then loads PPL with a dynamic import().
import { register } from 'node:module';

register('./schema-hooks.mjs', import.meta.url);
