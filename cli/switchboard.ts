// `switchboard` entry point (cli/bin.mjs runs it through tsx; `npm run switchboard -- …` too).
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
