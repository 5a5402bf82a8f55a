import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BRANDING, parseBranding } from './config-branding.js';

describe('parseBranding', () => {
  it('when nothing (or only empty values) is set, then the defaults apply: Switchboard and its accent', () => {
    const problems: string[] = [];
    expect(parseBranding({ BRAND_PRODUCT_NAME: '', BRAND_ACCENT_COLOR: ' ' }, problems)).toStrictEqual({ productName: 'Switchboard', accentColor: DEFAULT_BRANDING.accentColor });
    expect(problems).toStrictEqual([]);
  });

  it('when every variable is valid, then they are all used (colour lower-cased)', () => {
    const problems: string[] = [];
    expect(parseBranding({ BRAND_PRODUCT_NAME: ' Acme AI ', BRAND_LOGO_URL: 'https://cdn.acme.example/l.png', BRAND_ACCENT_COLOR: '#0F766E', BRAND_SUPPORT_URL: 'mailto:help@acme.example' }, problems)).toStrictEqual({
      productName: 'Acme AI',
      logoUrl: 'https://cdn.acme.example/l.png',
      accentColor: '#0f766e',
      supportUrl: 'mailto:help@acme.example',
    });
    expect(problems).toStrictEqual([]);
  });

  it('when values could inject markup, CSS or scripts, then each bad variable is named and nothing of it is used', () => {
    const problems: string[] = [];
    const branding = parseBranding(
      { BRAND_PRODUCT_NAME: '<b>Acme</b>', BRAND_LOGO_URL: 'javascript:alert(1)', BRAND_ACCENT_COLOR: 'red;}body{display:none', BRAND_SUPPORT_URL: 'http://help.acme.example' },
      problems,
    );
    expect(problems).toStrictEqual([
      'BRAND_PRODUCT_NAME must be plain text (no control characters or angle brackets)',
      'BRAND_LOGO_URL must be an https URL (http only for localhost)',
      'BRAND_ACCENT_COLOR must be a colour like #c2410c',
      'BRAND_SUPPORT_URL must be an https or mailto: URL',
    ]);
    expect(branding).toStrictEqual(DEFAULT_BRANDING);
  });
});
