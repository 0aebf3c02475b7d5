import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { MarathonCommand } from '../../marathon-command';
import { terminalText } from '../../terminal-text';

export default class PluginExport extends MarathonCommand {
  static override id = 'plugin:export';
  static override summary =
    "Write marathon-plugins.lock.json: each plugin's version, source, integrity, enabled state and granted permissions.";
  static override description = 'Another host runs `marathon plugin sync <lockfile>` to match this one exactly.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin export',
    '<%= config.bin %> plugin export --output fleet/marathon-plugins.lock.json',
    '<%= config.bin %> plugin export --output -',
  ];
  static override flags = {
    output: Flags.string({ char: 'o', description: 'Where to write it; - for standard output.', default: 'marathon-plugins.lock.json' }),
  };

  async run() {
    const { flags } = await this.parse(PluginExport);
    const manager = await this.manager();
    const lock = await manager.exportLock();
    const text = `${JSON.stringify(lock, null, 2)}\n`;
    const count = Object.keys(lock.plugins).length;
    // A folder or archive is recorded by its absolute path on this host: another host syncing the
    // lockfile finds it only if it has the same file at the same path.
    const warnings = Object.entries(lock.plugins)
      .filter(([, entry]) => entry.source.kind === 'folder' || entry.source.kind === 'tgz')
      .map(
        ([name, entry]) =>
          `'${name}' is recorded from ${entry.source.kind === 'folder' ? 'a folder' : 'an archive'} on this host, ` +
          `${entry.source.spec}: the lockfile records that absolute path, which other hosts won't have unless ` +
          `they hold the same ${entry.source.kind === 'folder' ? 'folder' : 'file'} there (publish the plugin ` +
          `to a registry and install it with marathon plugin install npm:${name} to make the lockfile portable)`,
      );
    if (!this.jsonEnabled()) for (const warning of warnings) this.sayError(`⚠️  ${terminalText(warning)}`);
    if (flags.output === '-') {
      if (!this.jsonEnabled()) process.stdout.write(text);
      return lock;
    }
    const file = resolve(flags.output);
    await writeFile(file, text);
    this.say(`✅ Wrote ${file} (${count} plugin${count === 1 ? '' : 's'})`);
    return { file, ...lock, ...(warnings.length === 0 ? {} : { warnings }) };
  }
}
