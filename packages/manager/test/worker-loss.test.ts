// Regression (found by the soak in tools/reliability): when the sandbox worker was stopped because
// of another plugin while this one was loading, the manager put this one in the error state — for
// good, in MARATHON_HOME — although nothing was wrong with it.
import { SandboxError, SandboxHost, type SandboxedPlugin } from '@marathon/security/sandbox';
import { task, useManager, writePlugin } from './helpers';

// Before useManager's: mocks are restored before the manager closes.
afterEach(() => jest.restoreAllMocks());
const { sandbox, manager } = useManager();

/** The next init of `name` fails as it does when the worker is stopped under it; returns whether it did. */
function loseWorkerAtNextInit(name: string): () => boolean {
  const load = SandboxHost.prototype.load;
  let armed = true;
  jest.spyOn(SandboxHost.prototype, 'load').mockImplementation(async function (this: SandboxHost, source) {
    const plugin: SandboxedPlugin = await load.call(this, source);
    if (armed && source.manifest.name === name) {
      const init = plugin.init.bind(plugin);
      plugin.init = async () => {
        if (!armed) return init();
        armed = false;
        throw new SandboxError('WORKER_LOST', name, `plugin '${name}' did not run because its sandbox worker was stopped`);
      };
    }
    return plugin;
  });
  return () => !armed;
}

it('a plugin whose worker was stopped under it while it initialised stays enabled and loads again at its next call', async () => {
  writePlugin(sandbox.plugins, { name: 'bystander', permissions: ['task_read'], hooks: ['post_task_execute'] });
  await manager().install('bystander', { yes: true });
  await manager().enable('bystander');
  const lost = loseWorkerAtNextInit('bystander');

  // The dispatch loads its handlers' plugins first; that load loses its worker, and the call loads again.
  const first = await manager().dispatch('post_task_execute', task('t-1'));
  expect(lost()).toBe(true);
  expect(first.results).toEqual([
    expect.objectContaining({ plugin: 'bystander', result: expect.objectContaining({ success: true, message: 'bystander' }) }),
  ]);
  expect((await manager().list()).map((record) => [record.name, record.status, record.error])).toEqual([
    ['bystander', 'enabled', undefined],
  ]);
  expect((await manager().dispatch('post_task_execute', task('t-2'))).results[0]?.result.success).toBe(true);
});
