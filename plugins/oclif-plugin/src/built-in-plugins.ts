import { dirname } from 'node:path';

/** The example plugins the CLI ships: searched first, so `marathon plugin install hello-world` works out of the box. */
export function builtInPluginFolders(): string[] {
  try {
    return [dirname(require.resolve('@marathon/example-plugins/package.json'))];
  } catch {
    return [];
  }
}
