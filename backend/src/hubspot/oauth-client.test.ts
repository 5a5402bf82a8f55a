import { describe, expect, it } from '@jest/globals';
import { isDeadRefreshToken } from './oauth-client.js';

const res = (status: number, body: unknown) => ({ status, headers: {}, body });

describe('isDeadRefreshToken', () => {
  it('when HubSpot answers invalid_grant or BAD_REFRESH_TOKEN on a 4xx, then the refresh token is dead', () => {
    expect(isDeadRefreshToken(res(400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked', status: 'BAD_REFRESH_TOKEN' }))).toBe(true);
    expect(isDeadRefreshToken(res(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }))).toBe(true);
    expect(isDeadRefreshToken(res(400, { error: 'invalid_grant' }))).toBe(true);
  });
  it('when the failure is an outage, a rate limit, or our client credentials, then it is not a dead token', () => {
    expect(isDeadRefreshToken(res(503, { error: 'invalid_grant' }))).toBe(false);
    expect(isDeadRefreshToken(res(429, { status: 'BAD_REFRESH_TOKEN' }))).toBe(false);
    expect(isDeadRefreshToken(res(400, { error: 'invalid_client', status: 'BAD_CLIENT_ID' }))).toBe(false);
    expect(isDeadRefreshToken(res(400, 'not json'))).toBe(false);
    expect(isDeadRefreshToken(res(200, { error: 'invalid_grant' }))).toBe(false);
  });
});
