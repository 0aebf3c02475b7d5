// @marathon/plugin-kit: what a plugin author runs before publishing — `packPlugin` (the folder as
// the .tgz `npm publish` takes, checked as an install would check it, signed when given a key) and
// the file selection it packs by. It sits above @marathon/registry, whose package.json rules
// (pluginPackageJson) and errors it uses; hosts and the registry itself never need it.
export { packPlugin } from './plugin-packer';
export type { PackOptions, PackResult } from './plugin-packer';
export { DEFAULT_PACK_IGNORE, selectPackFiles } from './pack-selection';
export type { PackSelection, SecretFinding } from './pack-selection';
