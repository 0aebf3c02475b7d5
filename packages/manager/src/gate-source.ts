// Which kind of source the trust gate is told a plugin came from. Only a folder the operator typed
// is `folder` (the one allow_unsigned_dev exempts); a name resolved through the search paths is
// `search-path`, because a search path can be a folder someone else wrote (a cloned repository).
// Used at install and at every load, so that both apply one rule.
import type { SourceKind } from '@marathon/registry';
import type { InstallSource } from '@marathon/security/trust';

const GATE_SOURCE: Record<SourceKind, InstallSource> = {
  'search-path': 'search-path',
  folder: 'folder',
  tgz: 'archive',
  url: 'url',
  npm: 'registry',
};

export function gateSource(kind: SourceKind): InstallSource {
  return GATE_SOURCE[kind];
}
