import { MarathonError } from '@marathon/plugin-api';

export type RegistryErrorCode =
  /** Nothing answers to an install request (no such name in the search paths, no such file). */
  | 'SOURCE_NOT_FOUND'
  /** The request names a kind of source this build cannot fetch (an npm spec without a client). */
  | 'SOURCE_UNSUPPORTED'
  /** A download failed, was too large, or did not match its --integrity. */
  | 'DOWNLOAD_FAILED'
  /** The state file is unreadable or malformed. */
  | 'STATE_CORRUPT'
  /** The state file (or a sync's record of it) parses but holds something Marathon never writes: a wrong shape, a path out of its folder. */
  | 'STATE_INVALID'
  /** MARATHON_HOME or a folder in it may be changed by someone else (other owner, group/world-writable, a symbolic link). */
  | 'HOME_UNSAFE'
  /** A path read from the home (a journal, the state) points outside it or outside Marathon's own naming. */
  | 'PATH_REFUSED'
  /** Another process held the state lock for too long. */
  | 'LOCK_TIMEOUT'
  /** An environment setting (MARATHON_LOCK_TIMEOUT_MS) has a value that means nothing. */
  | 'SETTING_INVALID'
  /** An npm package that is not a Marathon plugin, or whose package.json and plugin.json disagree. */
  | 'NOT_A_PLUGIN'
  /** The registry has no such package, or no version matching the range. */
  | 'PACKAGE_NOT_FOUND'
  /** The registry could not be reached, refused the credentials, or answered with an error. */
  | 'REGISTRY_UNAVAILABLE'
  /** `marathon plugin pack` found what an install would refuse. */
  | 'PACK_REFUSED';

export class RegistryError extends MarathonError<RegistryErrorCode> {
  override readonly name = 'RegistryError';

  /** `details`: the findings behind it, one per line. */
  constructor(code: RegistryErrorCode, message: string, details: readonly string[] = []) {
    super(code, message, { details });
  }
}
