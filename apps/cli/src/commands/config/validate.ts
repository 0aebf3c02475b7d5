import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '@marathon/oclif-plugin';
import { MarathonError } from '@marathon/plugin-api';
import { RefusalError } from '../../refusal-error';

/** No config.json where one was looked for: not "valid" — the operator may have written it elsewhere. */
class ConfigMissingError extends MarathonError<'CONFIG_NOT_FOUND'> {
  override readonly name = 'ConfigMissingError';

  /** `details`: the defaults that apply, one `key: value` a line. */
  constructor(message: string, details: readonly string[]) {
    super('CONFIG_NOT_FOUND', message, { details });
  }
}

export default class ConfigValidate extends MarathonCommand {
  static override id = 'config:validate';
  static override summary = 'Check a Marathon configuration file: its security policy, and every plugin that validates configuration.';
  static override description =
    'Without a file, checks $MARATHON_HOME/config.json. Enabled plugins with a config_validate hook may refuse the configuration.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate ./staging-config.json --json'];
  static override args = {
    file: Args.string({ description: 'The configuration file (default: $MARATHON_HOME/config.json).' }),
  };

  async run(): Promise<{ file: string; valid: true }> {
    const { args } = await this.parse(ConfigValidate);
    const file = args.file === undefined ? (await this.manager()).home.configFile : resolve(args.file);
    const { DEFAULT_POLICY, parseConfigText } = await import('@marathon/security/trust');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && args.file === undefined) {
        const defaults = Object.entries(DEFAULT_POLICY).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
        throw new ConfigMissingError(
          `no config.json at ${file}; the defaults apply (write the keys to change into it, or {} to keep them):`,
          defaults,
        );
      }
      throw new RefusalError('CONFIG_NOT_FOUND', `cannot read ${file}: ${code ?? (error as Error).message}. Check the path.`);
    }
    // Strict JSON (line and column of a syntax error), known top-level keys, policy values: every problem at once.
    const { config } = parseConfigText(text, file);
    const manager = await this.manager();
    const outcome = await manager.dispatch('config_validate', { config });
    if (outcome.vetoed) throw new RefusalError('CONFIG_VETOED', `${file} was refused: ${outcome.vetoReason ?? 'a plugin refused it'}`);
    this.say(`✅ Configuration '${file}' is valid`);
    return { file, valid: true };
  }
}
