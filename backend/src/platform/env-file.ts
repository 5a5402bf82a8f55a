// `.env` support for the entry points (npm start, the backend, the emulator, the cluster), with Node's
// built-in parser. Variables already set in the real environment win over the file: Node's
// `process.loadEnvFile` never overwrites a variable that exists, even an empty one.
import { existsSync } from 'node:fs';

/**
 * Loads `.env` (or `file`) into process.env when it exists. Call it before anything reads process.env.
 * @param file path of the env file, relative to the working directory
 * @returns whether a file was loaded
 */
export function loadDotEnv(file = '.env'): boolean {
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}
