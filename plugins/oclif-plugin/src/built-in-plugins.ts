import type * as ExamplePlugins from '@marathon/example-plugins';

/** The example plugins the CLI ships: searched first, so `marathon plugin install hello-world` works out of the box. */
export function builtInPluginFolders(): string[] {
  try {
    return [(require('@marathon/example-plugins') as typeof ExamplePlugins).pluginsDir];
  } catch {
    // A CLI that adds this oclif plugin without the example plugins.
    return [];
  }
}
