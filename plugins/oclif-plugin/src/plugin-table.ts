// `marathon plugin list` as docs/design.md ("CLI output") shows it, character for character:
//
//   Plugins:
//   =========
//   Name                 Version    Status       Description
//   ----                 -------    ------       -----------
//   hello-world          1.0.0      ✅ enabled   A simple hello world plugin
//
//   Summary: 1 total, 1 enabled, 0 disabled, 0 errors
import type { InstalledPlugin, PluginStatus } from '@marathon/registry';
import { terminalText } from './terminal-text';

const WIDTHS = [21, 11, 13] as const;
export const STATUS_LABELS: Record<PluginStatus, string> = { enabled: '✅ enabled', disabled: '⚪ disabled', error: '❌ error' };

// The status emoji take two terminal columns each; the reference table pads by columns, not by characters.
const WIDE = /[\u2705\u26AA\u274C]/g;

function pad(text: string, width: number): string {
  const columns = text.length + (text.match(WIDE)?.length ?? 0);
  return text + ' '.repeat(Math.max(1, width - columns));
}

// Cells hold a plugin's own text (its description above all): each stays on its row.
function row(cells: readonly [string, string, string, string]): string {
  cells = cells.map((cell) => terminalText(cell)) as unknown as typeof cells;
  return `${pad(cells[0], WIDTHS[0])}${pad(cells[1], WIDTHS[1])}${pad(cells[2], WIDTHS[2])}${cells[3]}`.trimEnd();
}

export function pluginTable(plugins: readonly InstalledPlugin[]): string[] {
  const lines = ['Plugins:', '========='];
  if (plugins.length === 0) lines.push('No plugins installed. Try: marathon plugin install hello-world');
  else {
    lines.push(row(['Name', 'Version', 'Status', 'Description']), row(['----', '-------', '------', '-----------']));
    for (const plugin of plugins) lines.push(row([plugin.name, plugin.version, STATUS_LABELS[plugin.status], plugin.manifest.description]));
  }
  const count = (status: PluginStatus) => plugins.filter((plugin) => plugin.status === status).length;
  lines.push('', `Summary: ${plugins.length} total, ${count('enabled')} enabled, ${count('disabled')} disabled, ${count('error')} errors`);
  return lines;
}
