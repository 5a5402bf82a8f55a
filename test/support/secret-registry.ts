/**
 * Secrets a test file handled, for the whole-suite redaction check (`redaction-check.ts`, run after
 * every test file): values registered here, secrets read from emulators when the check runs, and the
 * output of every child process, all checked against the captured log lines.
 */

const secrets = new Set<string>();
const sources: (() => readonly string[])[] = [];
const childOutputs: (() => string)[] = [];

/** A secret value that must never appear in a log line (ignored when shorter than 8 characters). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

/** A source of secrets read when the check runs (e.g. every token an emulator issued). */
export function registerSecretSource(source: () => readonly string[]): void {
  sources.push(source);
}

/** Output of a child process (stdout + stderr), checked like the captured log lines. */
export function registerChildOutput(output: () => string): void {
  childOutputs.push(output);
}

/** Every secret known now (registered values and sources). */
export function knownSecrets(): string[] {
  const all = new Set(secrets);
  for (const source of sources) {
    try {
      for (const s of source()) if (s && s.length >= 8) all.add(s);
    } catch {
      // A source that cannot be read any more (stopped) adds nothing.
    }
  }
  return [...all];
}

/** Text written by the child processes of this file. */
export function childOutputText(): string[] {
  return childOutputs.map((o) => o());
}

/**
 * Shapes of the credentials this system handles; a log line must never match one. The HubSpot shapes
 * are the emulator's (access token `C` + 96 base64url characters, refresh tokens and codes `na1-` +
 * UUID, Private App tokens `pat-na1-` + UUID); ours are the prefixed opaque tokens.
 */
export const SECRET_SHAPES: readonly { name: string; re: RegExp }[] = [
  { name: 'HubSpot access token', re: /(?<![A-Za-z0-9_-])C[A-Za-z0-9_-]{96}(?![A-Za-z0-9_-])/ },
  { name: 'HubSpot refresh token or authorization code', re: /\bna1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/ },
  { name: 'HubSpot Private App token', re: /\bpat-[a-z0-9]{2,4}-[0-9a-f]{8}-/ },
  { name: 'Switchboard API key, install link, OAuth state or claim token', re: /\bsb_(?:org|link|state|claim)_[A-Za-z0-9_-]{20,}/ },
  { name: 'event push signing secret', re: /\bsbwh_[A-Za-z0-9_-]{20,}/ },
  { name: 'bearer credential', re: /Bearer\s+(?!\[Redacted\])[A-Za-z0-9._~+/=-]{8,}/i },
];

/** One finding of {@link findLeaks}. */
export interface Leak {
  what: string;
  where: string;
  line: string;
}

/** Lines (and child outputs) that hold a known secret or match a secret shape. */
export function findLeaks(lines: readonly string[], childTexts: readonly string[], values: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const check = (where: string, line: string) => {
    for (const shape of SECRET_SHAPES) if (shape.re.test(line)) leaks.push({ what: shape.name, where, line: excerpt(line, shape.re, values) });
    for (const value of values) if (line.includes(value)) leaks.push({ what: `registered secret ${value.slice(0, 4)}…`, where, line: excerpt(line, value, values) });
  };
  lines.forEach((line) => check('captured log', line));
  childTexts.forEach((text) => text.split('\n').forEach((line) => line && check('child process output', line)));
  return leaks;
}

// The part of the line around the finding, with every secret in it masked (the finding and any other
// on the same line), so a report never re-leaks what it found.
function excerpt(line: string, needle: RegExp | string, values: readonly string[]): string {
  const marker = '\u0000';
  let masked = typeof needle === 'string' ? line.split(needle).join(`${marker}«${needle.length} chars»`) : line.replace(new RegExp(needle.source, `${needle.flags.replace('g', '')}g`), (m) => `${marker}«${m.length} chars»`);
  for (const value of values) masked = masked.split(value).join(`«${value.length} chars»`);
  for (const { re } of SECRET_SHAPES) masked = masked.replace(new RegExp(re.source, `${re.flags.replace('g', '')}g`), (m) => `«${m.length} chars»`);
  const at = Math.max(0, masked.indexOf(marker));
  return masked.slice(Math.max(0, at - 120), at + 200).split(marker).join('');
}

/** What {@link trackEmulator} reads from an emulator (structural, so this file imports no emulator code). */
interface EmulatorLike {
  app: { clientSecret: string };
  state: { ctx: { data: { codes: Map<string, unknown>; accessTokens: Map<string, unknown>; refreshTokens: Map<string, unknown>; privateAppTokens: Map<string, unknown> } } };
}

/**
 * Adds an emulator's client secret and every code and token it issued (read from its memory when
 * the check runs, so tokens issued after this call count too; a reset forgets earlier ones, which the
 * secret shapes still catch).
 */
export function trackEmulator(emulator: EmulatorLike): void {
  registerSecret(emulator.app.clientSecret);
  registerSecretSource(() => {
    const d = emulator.state.ctx.data;
    return [...d.codes.keys(), ...d.accessTokens.keys(), ...d.refreshTokens.keys(), ...d.privateAppTokens.keys()];
  });
}
