// The page's script, served as /ui.js. Everything a plugin wrote (its name, description, error,
// an event's message) is put on the page with textContent, never as HTML, so that it stays text;
// a test reads this source to check that innerHTML and friends never appear in it.
export const UI_SCRIPT = `'use strict';
let csrf = '';
const view = document.getElementById('view');
const status = document.getElementById('status');

async function api(path, options) {
  const response = await fetch(path, Object.assign({ credentials: 'same-origin' }, options));
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + response.status);
  return body;
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function table(headers, rows) {
  const element = document.createElement('table');
  const head = element.insertRow();
  for (const header of headers) {
    const th = document.createElement('th');
    th.textContent = header;
    head.appendChild(th);
  }
  for (const fill of rows) fill(element.insertRow());
  view.replaceChildren(element);
}

async function change(name, action) {
  try {
    await api('/api/plugins/' + encodeURIComponent(name) + '/' + action, { method: 'POST', headers: { 'X-CSRF-Token': csrf } });
    status.textContent = name + ': ' + action + 'd';
  } catch (error) {
    status.textContent = String(error.message);
  }
  await installed();
}

async function installed() {
  const { plugins } = await api('/api/plugins');
  table(['Plugin', 'Version', 'Status', 'Description', 'Permissions', ''], plugins.map((plugin) => (row) => {
    cell(row, plugin.name);
    cell(row, plugin.version);
    cell(row, plugin.error ? plugin.status + ': ' + plugin.error : plugin.status, plugin.error ? 'error' : '');
    cell(row, plugin.description);
    cell(row, plugin.permissions.join(', '));
    const button = document.createElement('button');
    const action = plugin.status === 'enabled' ? 'disable' : 'enable';
    button.textContent = action;
    button.addEventListener('click', () => void change(plugin.name, action));
    cell(row, '').appendChild(button);
  }));
}

async function performance() {
  const report = await api('/api/performance');
  table(['Plugin', 'Status', 'Calls/s', 'Error %', 'Veto %'], report.plugins.map((plugin) => (row) => {
    cell(row, plugin.plugin);
    cell(row, plugin.status);
    cell(row, plugin.recent.calls_per_s.toFixed(2));
    cell(row, (plugin.recent.error_rate * 100).toFixed(1));
    cell(row, (plugin.recent.veto_rate * 100).toFixed(1));
  }));
}

async function activity() {
  const { events } = await api('/api/activity');
  table(['Time', 'Hook', 'Plugin', 'Result'], events.slice().reverse().map((event) => (row) => {
    cell(row, event.timestamp);
    cell(row, event.hook_type);
    cell(row, event.plugin_name);
    cell(row, (event.success ? 'ok ' : 'failed ') + (event.result_message || ''), event.success ? '' : 'error');
  }));
}

function report(error) {
  status.textContent = String(error.message);
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (className) made.className = className;
  return made;
}

// Install is the manager's: a 409 with 'consent' carries the summary the CLI prints; it is shown
// and the request is only posted again, with consent, when the operator says yes on the page.
async function install(name, version, consent, area) {
  const response = await fetch('/api/install', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, version, consent }),
  });
  const body = await response.json();
  if (response.ok) {
    status.textContent = name + ' ' + body.installed.version + ' installed (disabled: enable it under Installed)';
    area.replaceChildren();
    return;
  }
  if (response.status !== 409 || !body.consent) throw new Error(body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + response.status);
  const yes = element('button', 'Install');
  const no = element('button', 'Cancel');
  yes.addEventListener('click', () => void install(name, version, true, area).catch(report));
  no.addEventListener('click', () => area.replaceChildren());
  area.replaceChildren(element('pre', body.consent.lines.join('\\n'), 'consent'), element('p', body.consent.question), yes, no);
}

async function browse() {
  const form = element('form', undefined, 'browse');
  const text = element('input');
  text.type = 'search';
  text.placeholder = 'Search the registry';
  const noNetwork = element('input');
  noNetwork.type = 'checkbox';
  const label = element('label', ' needs no network');
  label.prepend(noNetwork);
  form.append(text, ' ', label, ' ', element('button', 'Search'));
  const notes = element('p', '', 'notes');
  const results = element('div');
  const consent = element('div');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams({ text: text.value, sort: 'name' });
    if (noNetwork.checked) query.set('no_network', '1');
    api('/api/search?' + query.toString())
      .then((found) => {
        notes.textContent = found.registry + found.unapplied_filters.map((unapplied) => '; ' + unapplied.filter + ' not applied: ' + unapplied.reason).join('');
        const list = element('table');
        for (const result of found.results) {
          const row = list.insertRow();
          cell(row, result.name);
          cell(row, result.version);
          cell(row, result.installed === null ? '' : 'installed: ' + result.installed);
          cell(row, result.description);
          const button = element('button', 'Install');
          button.addEventListener('click', () => void install(result.name, result.version, false, consent).catch(report));
          cell(row, '').appendChild(button);
        }
        results.replaceChildren(list);
      })
      .catch(report);
  });
  view.replaceChildren(form, notes, consent, results);
}

const views = { installed, performance, activity, browse };

function show(name) {
  views[name]().catch((error) => (status.textContent = String(error.message)));
}

document.addEventListener('DOMContentLoaded', () => {
  const tab = element('button', 'Browse');
  tab.dataset.view = 'browse';
  document.querySelector('nav').append(' ', tab);
  for (const button of document.querySelectorAll('nav button')) button.addEventListener('click', () => show(button.dataset.view));
  api('/api/session')
    .then((session) => (csrf = session.csrf_token))
    .then(() => show('installed'))
    .catch((error) => (status.textContent = String(error.message)));
});
`;
