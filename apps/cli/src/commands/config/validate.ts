import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import { MarathonCommand } from '@marathon/oclif-plugin';
import type { JsonObject } from '@marathon/plugin-api';
import { RefusalError } from '../../refusal-error';

export default class ConfigValidate extends MarathonCommand {
  static override id = 'config:validate';
  static override summary = 'Check a Marathon configuration file: its security policy, and every plugin that validates configuration.';
  static override description = 'Without a file, checks $MARATHON_HOME/config.json. Enabled plugins with a config_validate hook may refuse the configuration.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate ./staging-config.json --json'];
  static override args = {
    file: Args.string({ description: 'The configuration file (default: $MARATHON_HOME/config.json).' }),
  };

  async run(): Promise<{ file: string; valid: true }> {
    const { args } = await this.parse(ConfigValidate);
    const manager = await this.manager();
    const file = args.file === undefined ? manager.home.configFile : resolve(args.file);
    const config = await readConfig(file, args.file === undefined);
    const { parsePolicy } = await import('@marathon/security');
    parsePolicy(config, file);
    const outcome = await manager.dispatch('config_validate', { config });
    if (outcome.vetoed) throw new RefusalError('CONFIG_VETOED', `${file} was refused: ${outcome.vetoReason ?? 'a plugin refused it'}`);
    this.say(`✅ Configuration '${file}' is valid`);
    return { file, valid: true };
  }
}

async function readConfig(file: string, isDefault: boolean): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // No config.json in MARATHON_HOME means the defaults, which are valid by construction — but plugins still get a say.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && isDefault) return {};
    throw new RefusalError('CONFIG_NOT_FOUND', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RefusalError('CONFIG_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RefusalError('CONFIG_INVALID', `${file} must hold a JSON object`);
  }
  return parsed as JsonObject;
}
