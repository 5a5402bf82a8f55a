// The connection page's stylesheet and script, served as static files from this module (no build
// step, no third-party host). Keeping them out of the HTML lets the CSP forbid inline code entirely.
// The page works without the script; it only improves the toast, times and double submits.

/** Where the page loads its assets from. */
export const ASSET_PATHS = Object.freeze({ css: '/connect-assets/connect-page.css', js: '/connect-assets/connect-page.js' });

/** The branding stylesheet (accent colour from the configuration), loaded after the main one. */
export const BRAND_CSS_PATH = '/connect-assets/brand.css';

/**
 * The branding stylesheet: the accent colour and a darker shade for hover.
 * @param accentColor `#rrggbb`, validated by the configuration (nothing else can reach the CSS)
 */
export function brandCss(accentColor: string): string {
  const dark = `#${[1, 3, 5].map((i) => Math.round(parseInt(accentColor.slice(i, i + 2), 16) * 0.8).toString(16).padStart(2, '0')).join('')}`;
  return `:root{--accent:${accentColor};--accent-dark:${dark}}\n.brand-logo{vertical-align:middle;border-radius:.25rem}\n`;
}

// Colours meet WCAG AA contrast (4.5:1 for text) on their backgrounds; the focus ring is always visible.
const CSS = `
*,*::before,*::after{box-sizing:border-box}
:root{--text:#1f2937;--muted:#4b5563;--line:#d1d5db;--bg:#f3f4f6;--card:#fff;--accent:#c2410c;--accent-dark:#9a3412;--focus:#1d4ed8;
--ok-bg:#dcfce7;--ok:#166534;--warn-bg:#fef3c7;--warn:#92400e;--err-bg:#fee2e2;--err:#991b1b;--neutral-bg:#e5e7eb;--neutral:#374151}
html{font-size:100%}
body{margin:0;background:var(--bg);color:var(--text);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:#1d4ed8}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip-link{position:absolute;left:.5rem;top:-3rem;background:#fff;padding:.5rem .75rem;border-radius:.375rem;z-index:10}
.skip-link:focus{top:.5rem}
.topbar{background:#111827;color:#fff;padding:.75rem 1rem}
.brand{font-weight:700;letter-spacing:.02em}
main{max-width:54rem;margin:0 auto;padding:1.5rem 1rem 3rem}
main:focus{outline:none}
.page-head{margin-bottom:1.25rem}
.eyebrow{margin:0;color:var(--muted);font-size:.875rem;text-transform:uppercase;letter-spacing:.06em}
h1{margin:.25rem 0 0;font-size:1.75rem;line-height:1.2}
.org{margin:.25rem 0 0;color:var(--muted)}
h2{font-size:1.25rem;margin:0}
h3{font-size:1rem;margin:1.25rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1.25rem;margin:0 0 1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.card-head{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.app-icon{display:inline-flex;align-items:center;justify-content:center;width:2.5rem;height:2.5rem;border-radius:.5rem;background:#fff7ed;color:var(--accent)}
.lead{margin:.75rem 0 0}
.muted{color:var(--muted)}
.small{font-size:.875rem}
.chip{display:inline-block;padding:.125rem .625rem;border-radius:999px;font-size:.8125rem;font-weight:600;white-space:nowrap}
.chip-ok{background:var(--ok-bg);color:var(--ok)}.chip-ok::before{content:"\\2713\\00a0"}
.chip-warn{background:var(--warn-bg);color:var(--warn)}.chip-warn::before{content:"!\\00a0"}
.chip-err{background:var(--err-bg);color:var(--err)}.chip-err::before{content:"\\00d7\\00a0"}
.chip-neutral{background:var(--neutral-bg);color:var(--neutral)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.75rem 1.5rem;margin:1rem 0 0}
.facts div{border-top:1px solid var(--line);padding-top:.5rem}
.facts dt{font-size:.8125rem;color:var(--muted)}
.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.access{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 1.5rem}
.scopes,.features{list-style:none;padding:0;margin:0}
.scopes li,.features li{padding:.25rem 0;overflow-wrap:anywhere}
code{font:.875rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 .25rem;border-radius:.25rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem;align-items:center}
.actions form{margin:0}
.button{display:inline-block;min-height:2.75rem;padding:.625rem 1.125rem;border-radius:.5rem;border:1px solid transparent;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;line-height:1.5}
.button-primary{background:var(--accent);color:#fff}
.button-primary:hover{background:var(--accent-dark)}
.button-secondary{background:#fff;color:var(--text);border-color:#6b7280}
.button-secondary:hover{background:#f9fafb}
.button-danger{background:var(--err);color:#fff}
.button-danger:hover{background:#7f1d1d}
.button[disabled]{opacity:.7;cursor:progress}
.callout{border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;border-left:4px solid}
.callout p{margin:.25rem 0}
.callout h2{font-size:1.125rem}
.callout-err{background:var(--err-bg);border-color:var(--err)}
.callout-warn{background:var(--warn-bg);border-color:var(--warn)}
.banner{background:var(--warn-bg);border:1px solid #f59e0b;border-radius:.75rem;padding:1rem 1.25rem;margin:0 0 1.25rem}
.banner h2{color:var(--warn)}
.banner h2::before{content:"!";display:inline-flex;align-items:center;justify-content:center;width:1.5rem;height:1.5rem;margin-right:.5rem;border-radius:50%;background:var(--warn);color:#fff;font-size:1rem}
details>summary{cursor:pointer}
details.card>summary{list-style-position:outside;margin-left:1rem}
details.card>summary h2{display:inline;font-size:1.125rem}
.disconnect{margin-top:1.25rem;border-top:1px solid var(--line);padding-top:1rem}
.disconnect>summary{color:var(--err);font-weight:600}
.confirm-box{margin-top:.75rem;padding:1rem;border:1px solid var(--err);border-radius:.5rem;background:#fff5f5}
.check{display:flex;gap:.5rem;align-items:flex-start}
.check input{width:1.25rem;height:1.25rem;margin-top:.125rem;accent-color:var(--accent)}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field input{display:block;width:100%;max-width:32rem;min-height:2.75rem;padding:.5rem .75rem;border:1px solid #6b7280;border-radius:.5rem;font:inherit}
.field input[aria-invalid=true]{border-color:var(--err)}
.field .muted{display:block;margin-top:.25rem}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:.5rem}
table{border-collapse:collapse;width:100%;font-size:.9375rem}
th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f9fafb;font-size:.8125rem;color:var(--muted);white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td:first-child{white-space:nowrap}
.empty{color:var(--muted);margin:0}
.toast-region{position:fixed;top:4rem;right:1rem;left:auto;z-index:20;max-width:min(24rem,calc(100vw - 2rem))}
.toast{display:flex;flex-wrap:wrap;align-items:flex-start;gap:0 .75rem;background:#064e3b;color:#fff;border-radius:.5rem;padding:.75rem 1rem;box-shadow:0 10px 25px rgba(0,0,0,.2)}
.toast p{margin:0;flex:1 1 14rem}
.toast-title{font-weight:700}
.toast-title::before{content:"\\2713\\00a0"}
.toast-close{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:.375rem;padding:.25rem .5rem;font:inherit;cursor:pointer;order:2}
.page-foot{color:var(--muted);font-size:.875rem;margin-top:2rem}
@media (max-width:36rem){h1{font-size:1.5rem}.card{padding:1rem}.toast-region{top:auto;bottom:1rem;right:1rem;left:1rem;max-width:none}.actions .button{width:100%;text-align:center}}
@media (prefers-reduced-motion:no-preference){.toast{animation:toast-in .2s ease-out}@keyframes toast-in{from{transform:translateY(-.5rem);opacity:0}to{transform:none;opacity:1}}}
`;

const JS = `'use strict';
(function () {
  // Drop the one-time notice from the address bar so a reload does not show it again.
  var url = new URL(window.location.href);
  if (url.searchParams.has('connected') || url.searchParams.has('done')) {
    url.searchParams.delete('connected');
    url.searchParams.delete('done');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  document.addEventListener('DOMContentLoaded', function () {
    // Toast: re-inserted after load so screen readers announce it, with a Dismiss button.
    var region = document.querySelector('.toast-region');
    var toast = region && region.querySelector('.toast');
    if (toast) {
      region.removeChild(toast);
      var close = document.createElement('button');
      close.type = 'button';
      close.className = 'toast-close';
      close.textContent = 'Dismiss';
      close.addEventListener('click', function () { toast.remove(); });
      toast.appendChild(close);
      window.setTimeout(function () { region.appendChild(toast); }, 150);
    }

    // A form that failed: move focus to its message.
    var error = document.querySelector('.form-error');
    if (error) error.focus();

    // Times in the reader's own time zone (the UTC text stays as the tooltip).
    var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    document.querySelectorAll('time[datetime]').forEach(function (el) {
      var date = new Date(el.getAttribute('datetime'));
      if (isNaN(date.getTime())) return;
      el.title = el.textContent;
      el.textContent = format.format(date);
    });

    // One submit per click: HubSpot calls behind these forms are not instant.
    document.querySelectorAll('form').forEach(function (form) {
      form.addEventListener('submit', function () {
        form.querySelectorAll('button[type=submit]').forEach(function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  });
})();
`;

/** The files under `/connect-assets/`, by path. */
export const CONNECT_PAGE_ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  [ASSET_PATHS.css, { type: 'text/css; charset=utf-8', body: CSS.trimStart() }],
  [ASSET_PATHS.js, { type: 'text/javascript; charset=utf-8', body: JS }],
]);
