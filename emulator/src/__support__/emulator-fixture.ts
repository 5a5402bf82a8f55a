// Test support only: a fresh emulator per test file with its control client and a movable clock, plus
// small HTTP helpers for asserting HubSpot's exact wire bodies.
import { expect } from '@jest/globals';
import { createEmulatorClient, type EmulatorClient } from '../../client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator.js';

/** The redirect URL the project's local profile registers. */
export const localRedirectUri = 'http://localhost:3000/oauth/callback';

/** A started emulator, its client and its clock. */
export interface Fixture {
  emu: Emulator;
  client: EmulatorClient;
  clock: { now: number };
}

/**
 * Starts an emulator on port 0 with an injected clock; webhooks off unless asked for.
 * @param opts extra options
 * @returns the fixture (call `emu.stop()` in afterAll)
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Fixture> {
  const clock = { now: Date.UTC(2026, 10, 2, 9, 0, 0) };
  const emu = await createEmulator({ now: () => clock.now, webhooks: false, warn: () => undefined, ...opts });
  return { emu, client: createEmulatorClient(emu.url), clock };
}

/** A fetch answer with its parsed JSON body. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Calls the emulator and parses the answer.
 * @param url full URL
 * @param init method, headers, body (objects are sent as JSON, URLSearchParams as a form)
 */
export async function http(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: string | URLSearchParams | undefined;
  if (init.body instanceof URLSearchParams) body = init.body;
  else if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.body);
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Matcher for a HubSpot correlation id. */
export const anyCorrelationId: unknown = expect.any(String);
