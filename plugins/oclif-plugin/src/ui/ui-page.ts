// The HTML shell of `marathon ui`: no inline script or style (the Content-Security-Policy would
// refuse them anyway), only this server's /ui.js and /ui.css; the views are drawn by ui-script.ts
// from the JSON API. The refusal page is static text, with the server's own message escaped.

/** Escapes text for an HTML text node: the refusal page shows a message that may name a Host. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export const UI_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Marathon</title>
<link rel="stylesheet" href="/ui.css">
<script src="/ui.js" defer></script>
</head>
<body>
<header><h1>Marathon</h1>
<nav><button data-view="installed">Installed</button> <button data-view="performance">Performance</button>
<button data-view="activity">Activity</button></nav></header>
<main id="view"></main>
<p id="status" role="status"></p>
</body>
</html>
`;

/** The page a refused request gets (no session, a used token, a wrong Host): what happened and what to do. */
export function refusalPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Marathon UI: refused</title></head>
<body>
<h1>Marathon UI</h1>
<p>${escapeHtml(message)}</p>
<p>Run <code>marathon ui</code> in a terminal and open the URL it prints.</p>
</body>
</html>
`;
}
