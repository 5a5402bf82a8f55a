// The emulator's server-rendered pages share one document shell and one escaper: every value that
// reaches HTML goes through `esc`.

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * A complete HTML document with inline styles and no scripts.
 * @param title the document title (escaped here)
 * @param style CSS, trusted (written in the emulator's code)
 * @param body HTML, already escaped by the caller
 */
export function htmlDocument(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
