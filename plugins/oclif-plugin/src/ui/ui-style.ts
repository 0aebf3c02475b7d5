// The page's stylesheet, served as /ui.css (the Content-Security-Policy allows no inline style).
export const UI_STYLE = `body { font-family: system-ui, sans-serif; margin: 0 2rem; color: #1d1d1f; }
header { display: flex; align-items: baseline; gap: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.error { color: #b00020; }
#status { color: #555; }
.browse { margin: 1rem 0; }
.notes { color: #555; font-size: 0.9em; }
.consent { background: #fff8e1; padding: 0.6rem; white-space: pre-wrap; }
`;
