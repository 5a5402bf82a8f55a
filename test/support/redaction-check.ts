// Runs after every test file (jest.config.js `setupFilesAfterEnv`): no line any backend logger wrote
// in this file (captureLogs records them all), and no line of the file's child processes, holds a
// credential: neither a value the file registered (client secrets, admin keys, encryption keys, every
// token its emulators issued) nor anything shaped like one. A leak fails the file.
import { afterAll } from '@jest/globals';
import { allCapturedLines } from './capture-logs.js';
import { childOutputText, findLeaks, knownSecrets } from './secret-registry.js';

afterAll(() => {
  const leaks = findLeaks(allCapturedLines(), childOutputText(), knownSecrets());
  if (leaks.length === 0) return;
  const shown = leaks.slice(0, 10).map((l) => `- ${l.what} in ${l.where}: ${l.line}`);
  throw new Error(`Redaction check: ${leaks.length} log line(s) of this test file hold a secret:\n${shown.join('\n')}`);
});
