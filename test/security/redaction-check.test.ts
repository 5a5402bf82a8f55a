// The whole-suite redaction check (test/support/redaction-check.ts, run after every test file) must
// catch each kind of secret, and the logger must already have masked them before that check sees them.
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../backend/src/platform/logger.js';
import { findLeaks } from '../support/secret-registry.js';

const SAMPLES: Record<string, string> = {
  'HubSpot access token': `C${'aB3_-'.repeat(19)}x`,
  'HubSpot refresh token or authorization code': 'na1-0f0e0d0c-1b2a-4c3d-8e9f-a1b2c3d4e5f6',
  'HubSpot Private App token': 'pat-na1-0f0e0d0c-1b2a-4c3d-8e9f-a1b2c3d4e5f6',
  'Switchboard API key, install link, OAuth state or claim token': `sb_link_${'Q'.repeat(43)}`,
  'event push signing secret': `sbwh_${'z'.repeat(43)}`,
  'bearer credential': 'Bearer abcdefgh12345678',
};

function logLines(write: (log: ReturnType<typeof createLogger>) => void): string[] {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    }),
  });
  write(log);
  log.flush();
  return lines;
}

describe('redaction check', () => {
  it('when a raw line holds any secret shape or a registered value, then the check reports it (without repeating it)', () => {
    for (const [what, value] of Object.entries(SAMPLES)) {
      const leaks = findLeaks([`{"msg":"x","path":"/connect/${value}"}`], [], []);
      expect([what, leaks.map((l) => l.what)]).toStrictEqual([what, expect.arrayContaining([what])]);
      for (const l of leaks) expect(l.line).not.toContain(value);
    }
    expect(findLeaks(['client secret is s3cr3t-value-123'], [], ['s3cr3t-value-123'])).toHaveLength(1);
    expect(findLeaks([], ['child printed s3cr3t-value-123'], ['s3cr3t-value-123'])).toHaveLength(1);
    expect(findLeaks(['{"msg":"request","path":"/connect/[Redacted]"}'], [], [])).toStrictEqual([]);
  });

  it('when the logger writes those secrets by key or inside free text (a URL path, an error message), then nothing reaches the line', () => {
    const lines = logLines((log) => {
      for (const value of Object.values(SAMPLES)) {
        log.info({ path: `/connect/${value}`, err: new Error(`upstream said ${value}`) }, `free text ${value}`);
        log.info({ accessToken: value, refreshToken: value, nested: { token: value } }, 'by key');
      }
      // A real link token with one character added must not leak its real part either.
      log.warn({ path: `/connect/sb_link_${'R'.repeat(44)}` }, 'near miss');
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(findLeaks(lines, [], Object.values(SAMPLES))).toStrictEqual([]);
  });
});
