// The vendor's branding on customer-facing surfaces Switchboard renders itself: the connection page,
// the notes written to HubSpot timelines and the favicon. (HubSpot's own consent page and marketplace
// listing take the name and logo from the app manifest, src/app/app-hsmeta.json.)
import { z } from 'zod';

/** Product name, logo, accent colour and support link. */
export interface Branding {
  /** Shown instead of "Switchboard" (page header, notes, sentences). */
  productName: string;
  /** An https image (http only for localhost) shown next to the name; the page's CSP allows its origin. */
  logoUrl?: string;
  /** `#rrggbb`: buttons, icons, favicon. */
  accentColor: string;
  /** Where the connection page's "Get help" link points (https URL or mailto:). */
  supportUrl?: string;
}

/** The defaults: Switchboard's own look. */
export const DEFAULT_BRANDING: Readonly<Branding> = Object.freeze({ productName: 'Switchboard', accentColor: '#c2410c' });

const isLoopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);
const url = (v: string, schemes: string[]) => {
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' && isLoopback(u.hostname)) return true;
    return schemes.includes(u.protocol) && (u.protocol === 'mailto:' || u.hostname !== '');
  } catch {
    return false;
  }
};

const brandingEnvSchema = z.object({
  // Printable text only, so it is safe in HTML (escaped anyway), note bodies and log lines.
  BRAND_PRODUCT_NAME: z
    .string()
    .trim()
    .min(1, { message: 'BRAND_PRODUCT_NAME must not be empty' })
    .max(60, { message: 'BRAND_PRODUCT_NAME must be at most 60 characters' })
    .regex(/^[^\p{Cc}\p{Cf}<>]+$/u, { message: 'BRAND_PRODUCT_NAME must be plain text (no control characters or angle brackets)' })
    .optional(),
  BRAND_LOGO_URL: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => url(v, ['https:']), { message: 'BRAND_LOGO_URL must be an https URL (http only for localhost)' })
    .optional(),
  // Only a 6-digit hex colour reaches the stylesheet: nothing else can be injected into CSS.
  BRAND_ACCENT_COLOR: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'BRAND_ACCENT_COLOR must be a colour like #c2410c' })
    .optional(),
  BRAND_SUPPORT_URL: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => url(v, ['https:', 'mailto:']), { message: 'BRAND_SUPPORT_URL must be an https or mailto: URL' })
    .optional(),
});

/**
 * Reads the BRAND_* variables (empty values count as unset).
 * @param env the environment
 * @param problems receives one message per bad variable
 * @returns the branding, defaults filled in
 */
export function parseBranding(env: Record<string, string | undefined>, problems: string[]): Branding {
  const present = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const parsed = brandingEnvSchema.safeParse({
    BRAND_PRODUCT_NAME: present('BRAND_PRODUCT_NAME'),
    BRAND_LOGO_URL: present('BRAND_LOGO_URL'),
    BRAND_ACCENT_COLOR: present('BRAND_ACCENT_COLOR'),
    BRAND_SUPPORT_URL: present('BRAND_SUPPORT_URL'),
  });
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => i.message));
    return { ...DEFAULT_BRANDING };
  }
  const b = parsed.data;
  return {
    productName: b.BRAND_PRODUCT_NAME ?? DEFAULT_BRANDING.productName,
    accentColor: (b.BRAND_ACCENT_COLOR ?? DEFAULT_BRANDING.accentColor).toLowerCase(),
    ...(b.BRAND_LOGO_URL ? { logoUrl: b.BRAND_LOGO_URL } : {}),
    ...(b.BRAND_SUPPORT_URL ? { supportUrl: b.BRAND_SUPPORT_URL } : {}),
  };
}
