// Gives each plugin's topic (`marathon hello-world`) the plugin's description in help. oclif names
// an undeclared topic after the summary of its first command, which describes the command instead.
import type { Hook } from '@oclif/core';
import { stateSnapshot } from '../marathon-state';

const hook: Hook.Init = async function () {
  for (const plugin of stateSnapshot().plugins) {
    const topic = this.config.findTopic(plugin.name);
    if (topic !== undefined && plugin.description !== '') topic.description = plugin.description;
  }
};

export default hook;
