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

const views = { installed, performance, activity };

function show(name) {
  views[name]().catch((error) => (status.textContent = String(error.message)));
}

document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('nav button')) button.addEventListener('click', () => show(button.dataset.view));
  api('/api/session')
    .then((session) => (csrf = session.csrf_token))
    .then(() => show('installed'))
    .catch((error) => (status.textContent = String(error.message)));
});
`;
