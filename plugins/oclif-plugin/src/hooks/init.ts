// Runs once oclif has loaded its configuration. Gives each plugin's topic (`marathon hello-world`) the plugin's description in help. oclif names
// an undeclared topic after the summary of its first command, which describes the command instead.
import type { Hook } from '@oclif/core';
import { commandCacheActive, releaseDataDirVariable } from '../command-cache';
import { stateSnapshot } from '../marathon-state';

const hook: Hook.Init = async function () {
  releaseDataDirVariable();
  // The command cache declares these topics itself.
  if (commandCacheActive()) return;
  for (const plugin of stateSnapshot().plugins) {
    const topic = this.config.findTopic(plugin.name);
    if (topic !== undefined && plugin.description !== '') topic.description = plugin.description;
  }
};

export default hook;
