// A state record of the shape StateStore.read accepts (state-shape.ts), for tests that write
// records by hand.
import { installFolderName, type InstalledPlugin } from '@marathon/registry';

export function stateRecord(name: string, overrides: Partial<InstalledPlugin> = {}): InstalledPlugin {
  const version = overrides.version ?? '1.0.0';
  return {
    name,
    version,
    status: 'disabled',
    source: { kind: 'folder', spec: `/plugins/${name}` },
    installed_at: '2026-01-01T00:00:00.000Z',
    folder: installFolderName(name, version, '0123abcd'),
    integrity: { 'index.js': 'a'.repeat(64), 'plugin.json': 'b'.repeat(64) },
    signature: 'unsigned',
    granted_permissions: [],
    manifest: {
      name,
      version,
      description: `${name} plugin`,
      api_version: '1.0.0',
      main: 'index.js',
      permissions: [],
      hooks: [],
      commands: [],
      dependencies: {},
      limits: {},
    },
    ...overrides,
  };
}
