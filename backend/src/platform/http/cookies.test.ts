import { describe, expect, it } from '@jest/globals';
import { parseCookies, serializeCookie } from './cookies.js';
import { escapeHtml } from './html-page.js';

describe('cookies', () => {
  it('when parsing, then the first value of each name wins and malformed values are ignored', () => {
    expect(parseCookies('a=1; b=x%20y; a=2; bad=%E0%A4%A; =nameless')).toStrictEqual({ a: '1', b: 'x y' });
    expect(parseCookies(undefined)).toStrictEqual({});
  });
  it('when serializing, then the cookie is HttpOnly with the given path, age and SameSite, Secure only when asked', () => {
    expect(serializeCookie('n', 'v.1', { path: '/oauth', maxAgeSeconds: 600, secure: false, sameSite: 'Lax' })).toBe('n=v.1; Path=/oauth; Max-Age=600; HttpOnly; SameSite=Lax');
    expect(serializeCookie('n', '', { path: '/', maxAgeSeconds: 0, secure: true, sameSite: 'Strict' })).toBe('n=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });
});

describe('escapeHtml', () => {
  it('when text holds markup, then every special character is escaped', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
  });
});
