import { Flags } from '@oclif/core';
import type { PerformanceReport, PluginPerformance } from '@marathon/manager';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

// Cursor home and erase the screen; hide and show the cursor while the view redraws.
const CLEAR = '\u001b[H\u001b[2J';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
// In raw mode Ctrl-C is a byte like any other, not a SIGINT.
const CTRL_C = '\u0003';

const COLUMNS = ['PLUGIN', 'STATUS', 'CALLS/S', 'P50 MS', 'P95 MS', 'ERR%', 'VETO%', 'LOAD+INIT MS', 'MEM MIB', 'CPU MS'];
const WIDTHS = [24, 13, 8, 8, 8, 6, 6, 12, 8, 9];

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '-' : value.toFixed(digits);
}

function percent(rate: number, calls: number): string {
  return calls === 0 ? '-' : (rate * 100).toFixed(1);
}

/** Left-aligned name columns, right-aligned numbers; a name longer than its column is cut with `…`. */
function row(cells: readonly string[]): string {
  return cells
    .map((cell, index) => {
      const width = WIDTHS[index]!;
      const fitted = cell.length > width ? `${cell.slice(0, width - 1)}…` : cell;
      return index < 2 ? fitted.padEnd(width) : fitted.padStart(width);
    })
    .join(' ')
    .trimEnd();
}

/** An enabled plugin has no badge; any other status (disabled, error, quarantined) is shouted. */
function badge(status: string): string {
  return status === 'enabled' ? 'enabled' : `[${status.toUpperCase()}]`;
}

function pluginLines(plugin: PluginPerformance): string[] {
  const busiest = plugin.hooks[0];
  const loadInit = plugin.timings === null ? undefined : plugin.timings.load_ms + plugin.timings.init_ms;
  const lines = [
    row([
      terminalText(plugin.plugin),
      badge(terminalText(plugin.status)),
      fixed(plugin.recent.calls_per_s, 2),
      fixed(busiest?.p50_ms, 2),
      fixed(busiest?.p95_ms, 2),
      percent(plugin.recent.error_rate, plugin.recent.calls),
      percent(plugin.recent.veto_rate, plugin.recent.calls),
      fixed(loadInit, 1),
      fixed(plugin.usage === null ? undefined : plugin.usage.memory_bytes / 2 ** 20, 1),
      fixed(plugin.usage?.cpu_ms, 1),
    ]),
  ];
  // A plugin on several hooks: the row above shows its busiest; each hook's own latencies follow.
  if (plugin.hooks.length > 1) {
    for (const hook of plugin.hooks) {
      lines.push(row([`  ${hook.hook}`, '', '', fixed(hook.p50_ms, 2), fixed(hook.p95_ms, 2), percent(hook.error_rate, hook.calls)]));
    }
  }
  if (plugin.error !== undefined) lines.push(`  ${terminalText(plugin.error)}`);
  return lines;
}

/** The whole view: a header line, the column names, one row per plugin (heaviest first). */
export function topLines(report: PerformanceReport, hint: string): string[] {
  const header = `marathon plugin top  ${report.at}  ${report.plugins.length} plugins, calls and rates over the last ${report.window_ms / 1000} s${hint}`;
  if (report.plugins.length === 0) return [header, '', 'No plugins installed.'];
  return [header, '', row(COLUMNS), ...report.plugins.flatMap(pluginLines)];
}

export default class PluginTop extends MarathonCommand {
  static override id = 'plugin:top';
  static override summary =
    'Show every plugin’s calls/s, latencies, error and veto rates, load time, memory and CPU, across all processes, heaviest first.';
  static override description =
    'On a terminal the view redraws until q or Ctrl-C; without one (or with --once) it prints one snapshot. ' +
    'The numbers are what every marathon process on this MARATHON_HOME wrote to its history: calls/s, err% and veto% over the last minute, ' +
    'p50/p95 of the busiest hook (each hook on a line of its own when there are several), the last load+init time, ' +
    'and the engine memory and CPU time of the last process that ran the plugin.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> plugin top', '<%= config.bin %> plugin top --once', '<%= config.bin %> plugin top --json'];
  static override flags = {
    once: Flags.boolean({ description: 'Print one snapshot and exit, even on a terminal.' }),
    interval: Flags.integer({ description: 'Seconds between redraws.', default: 1, min: 1 }),
  };

  async run(): Promise<PerformanceReport | undefined> {
    const { flags } = await this.parse(PluginTop);
    const manager = await this.manager();
    const interactive = !flags.once && !this.jsonEnabled() && process.stdout.isTTY === true && process.stdin.isTTY === true;
    if (!interactive) {
      const report = await manager.performance();
      for (const line of topLines(report, '')) this.say(line);
      return report;
    }
    await this.watch(() => manager.performance(), flags.interval * 1000);
    // The view was the output: no closing JSON document (oclif prints none for undefined).
    return undefined;
  }

  /** Redraws every `intervalMs` until q or Ctrl-C; the terminal is put back however it ends. */
  private async watch(report: () => Promise<PerformanceReport>, intervalMs: number): Promise<void> {
    const stdin = process.stdin;
    let quit: () => void = () => undefined;
    const quitting = new Promise<void>((resolve) => (quit = resolve));
    const onKey = (key: Buffer): void => {
      const text = key.toString('utf8');
      if (text.includes('q') || text.includes('Q') || text.includes(CTRL_C)) quit();
    };
    stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume();
    process.once('SIGINT', quit);
    process.stdout.write(HIDE_CURSOR);
    let done = false;
    void quitting.then(() => (done = true));
    try {
      while (!done) {
        const lines = topLines(await report(), '  (q quits)');
        if (done) break;
        process.stdout.write(`${CLEAR}${lines.join('\n')}\n`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([quitting, new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)))]);
        clearTimeout(timer);
      }
    } finally {
      process.removeListener('SIGINT', quit);
      stdin.removeListener('data', onKey);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write(SHOW_CURSOR);
    }
  }
}
