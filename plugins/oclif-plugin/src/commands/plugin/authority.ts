import { Args, Flags } from '@oclif/core';
import type { AuthorityChange, AuthorityKey, AuthorityRow, PluginAuthority as AuthorityTable } from '@marathon/manager';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

const MIB = 1024 * 1024;
/** The --reset names, as operators type them, and the authority each stands for. */
const RESETTABLE: Record<string, AuthorityKey> = {
  hosts: 'allowed_hosts',
  'env-vars': 'env_vars',
  commands: 'commands',
  'private-network': 'private_network',
  'max-memory': 'max_memory',
  'call-deadline': 'call_deadline_ms',
};
const LABEL: Record<AuthorityKey, string> = {
  allowed_hosts: 'hosts',
  env_vars: 'env vars',
  commands: 'commands',
  private_network: 'private network',
  max_memory: 'max memory',
  call_deadline_ms: 'call deadline',
};

function shown(key: AuthorityKey, value: AuthorityRow['author']): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return key === 'max_memory' ? `${value / MIB} MiB` : `${value} ms`;
}

function describe(row: AuthorityRow): string {
  const author = terminalText(shown(row.key, row.author));
  const head = `${LABEL[row.key].padEnd(16)} ${terminalText(shown(row.key, row.effective))}`;
  return row.operator === undefined
    ? `${head}  (plugin.json / host default)`
    : `${head}  (set by the operator; plugin.json / host default: ${author})`;
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export default class PluginAuthority extends MarathonCommand {
  static override id = 'plugin:authority';
  static override summary = 'Show, narrow or widen what a plugin may do on this host.';
  static override description = [
    "Replaces, for this host, what a plugin's author declared: the hosts it may reach, the environment variables it may read,",
    'the commands it may run, private-network access, its memory and its call deadline. Narrowing never asks; widening is a',
    'grant and asks for consent like an install (refused without a terminal unless --yes). Every change is recorded in the',
    "audit trail (marathon plugin audit <name>). The plugin's files are not touched: its integrity and signature still verify.",
    'The plugin must have been granted the permission a list scopes (network, env_vars, exec).',
  ].join(' ');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin authority webhook-notifier',
    '<%= config.bin %> plugin authority webhook-notifier --hosts chat.example.org',
    '<%= config.bin %> plugin authority webhook-notifier --private-network on --yes',
    '<%= config.bin %> plugin authority git-info --max-memory-mb 32 --call-deadline-ms 2000',
    '<%= config.bin %> plugin authority webhook-notifier --reset hosts --reset private-network',
  ];
  static override args = { name: Args.string({ description: 'The plugin.', required: true }) };
  static override flags = {
    hosts: Flags.string({ description: 'The hosts it may reach, comma-separated (replaces network.allowed_hosts).' }),
    'env-vars': Flags.string({ description: 'The environment variables it may read, comma-separated (replaces env_vars.allowed).' }),
    commands: Flags.string({ description: 'The programs it may run, comma-separated (replaces exec.allowed_commands).' }),
    'private-network': Flags.string({ description: 'Whether ctx.net.fetch may reach private addresses.', options: ['on', 'off'] }),
    'max-memory-mb': Flags.integer({ description: 'MiB of memory its engine may use.', min: 1 }),
    'call-deadline-ms': Flags.integer({ description: 'Milliseconds one call may take.', min: 1 }),
    reset: Flags.string({
      description: 'Put the author\u2019s declaration (or the host default) back.',
      options: Object.keys(RESETTABLE),
      multiple: true,
    }),
    yes: Flags.boolean({ char: 'y', description: 'Accept a widening without a prompt.' }),
  };

  async run(): Promise<AuthorityTable> {
    const { args, flags } = await this.parse(PluginAuthority);
    const manager = await this.manager();
    const change: AuthorityChange = {};
    if (flags.hosts !== undefined) change.allowed_hosts = list(flags.hosts);
    if (flags['env-vars'] !== undefined) change.env_vars = list(flags['env-vars']);
    if (flags.commands !== undefined) change.commands = list(flags.commands);
    if (flags['private-network'] !== undefined) change.private_network = flags['private-network'] === 'on';
    if (flags['max-memory-mb'] !== undefined) change.max_memory = flags['max-memory-mb'] * MIB;
    if (flags['call-deadline-ms'] !== undefined) change.call_deadline_ms = flags['call-deadline-ms'];
    for (const name of flags.reset ?? []) {
      const key = RESETTABLE[name]!;
      if (change[key] !== undefined) {
        const { ManagerError } = await import('@marathon/manager');
        throw new ManagerError('AUTHORITY_INVALID', `--reset ${name} and a new value for it cannot go together`);
      }
      change[key] = null;
    }
    if (Object.keys(change).length === 0) {
      const table = await manager.authority(args.name);
      this.say(`What ${args.name} may do:`);
      for (const row of table.rows) this.say(describe(row));
      return table;
    }
    const table = await manager.changeAuthority(args.name, change, {
      yes: flags.yes,
      confirm: (widenings) =>
        this.confirm(
          widenings.map((line) => `  ${terminalText(line)}`),
          `Grant ${args.name} this?`,
        ),
    });
    this.say(`✅ ${args.name}: what it may do changed (recorded in the audit trail)`);
    for (const row of table.rows.filter((candidate) => Object.hasOwn(change, candidate.key))) this.say(describe(row));
    return table;
  }
}
