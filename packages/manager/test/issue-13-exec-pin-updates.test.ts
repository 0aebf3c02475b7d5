// Issue 13, part 10: exec.allowed_commands entries may be pinned to argument prefixes. An update
// that drops or widens a pin grants more than the operator accepted, so it must ask again, just as
// adding a new command does.
import { parseManifest, type Manifest } from '@marathon/manifest';
import { permissionChanges, updateNeedsConsent } from '../src/consent-rules';

function withCommands(version: string, allowed_commands: unknown[]): Manifest {
  return parseManifest({ name: 'git-tool', version, api_version: '1.0.0', permissions: ['exec'], exec: { allowed_commands } });
}

const pinned = withCommands('1.0.0', [{ command: 'git', args: [['status']] }]);

it('asks again when an update drops a pin', () => {
  const changes = permissionChanges(pinned, ['exec'], withCommands('1.1.0', ['git']));
  expect(changes.widened).toEqual(['exec.allowed_commands: git']);
  expect(updateNeedsConsent(changes)).toBe(true);
});

it('asks again when an update adds a prefix', () => {
  const changes = permissionChanges(pinned, ['exec'], withCommands('1.1.0', [{ command: 'git', args: [['status'], ['push']] }]));
  expect(changes.widened).toEqual(['exec.allowed_commands: git (only: status | push)']);
});

it('does not ask when the pins stay the same', () => {
  const changes = permissionChanges(pinned, ['exec'], withCommands('1.1.0', [{ command: 'git', args: [['status']] }]));
  expect(updateNeedsConsent(changes)).toBe(false);
});
