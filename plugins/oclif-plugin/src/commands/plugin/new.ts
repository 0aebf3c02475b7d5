import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { HOOK_TYPES, PERMISSIONS, type HookType, type Permission } from '@marathon/plugin-api';
import { MarathonCommand } from '../../marathon-command';
import { ScaffoldError } from '../../scaffold/scaffold-error';
import { pluginProjectFiles, type TemplateOptions } from '../../scaffold/plugin-template';
import { scaffoldVersions } from '../../scaffold/scaffold-versions';

export default class PluginNew extends MarathonCommand {
  static override id = 'plugin:new';
  static override summary = 'Create a new plugin project: manifest, TypeScript source, build and a test that runs it in the sandbox.';
  static override description =
    'The project builds into dist/ (the folder you install) and its test loads dist/ in the real sandbox with @marathon/plugin-testing.';
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin new my-plugin',
    '<%= config.bin %> plugin new build-notifier --hooks post_task_execute --permissions task_read,network',
  ];
  static override args = {
    name: Args.string({ description: 'The plugin name (lower case, digits, - . _ ~; may be @scope/name).', required: true }),
  };
  static override flags = {
    hooks: Flags.string({ description: 'Hooks to handle, comma-separated.', options: [...HOOK_TYPES], multiple: true, delimiter: ',' }),
    permissions: Flags.string({
      description: 'Permissions to request, comma-separated.',
      options: [...PERMISSIONS],
      multiple: true,
      delimiter: ',',
    }),
    dir: Flags.directory({ description: 'Where to create the project folder.', default: '.' }),
  };

  async run() {
    const { args, flags } = await this.parse(PluginNew);
    const options: TemplateOptions = {
      name: args.name,
      hooks: [...new Set((flags.hooks ?? []) as HookType[])],
      permissions: [...new Set((flags.permissions ?? []) as Permission[])],
      versions: scaffoldVersions(),
    };
    const files = pluginProjectFiles(options);
    // The generated manifest must be one Marathon accepts: the same checks as install.
    const { safeParseManifest } = await import('@marathon/manifest');
    const checked = safeParseManifest(JSON.parse(files['plugin.json']!));
    if (!checked.success)
      throw new ScaffoldError(
        'NAME_INVALID',
        `'${args.name}' cannot be a plugin name:`,
        checked.error.issues.map((issue) => `${issue.path}: ${issue.message}`),
      );
    if (this.reservedNames().includes(args.name)) {
      throw new ScaffoldError('NAME_RESERVED', `'${args.name}' names one of marathon's own commands; choose another name`);
    }
    const folder = resolve(flags.dir, args.name.replace(/^@[^/]+\//, ''));
    if (existsSync(folder) && readdirSync(folder).length > 0) {
      throw new ScaffoldError('FOLDER_EXISTS', `${folder} already exists and is not empty: choose another name or --dir`);
    }
    for (const [file, text] of Object.entries(files)) {
      const target = join(folder, file);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text, { flag: 'wx' });
    }
    const shown = relative(process.cwd(), folder) || '.';
    this.say(`✅ Created plugin '${args.name}' in ${shown}`);
    this.say('');
    this.say('Next:');
    this.say(`  cd ${shown}`);
    this.say('  npm install');
    this.say('  npm test                                  # builds dist/ and tests it in the sandbox');
    this.say('  marathon plugin install ./dist --enable   # or: marathon plugin dev ./dist');
    return { name: args.name, folder, files: Object.keys(files) };
  }
}
