import { MarathonError } from '@marathon/plugin-api';

export type TrustErrorCode =
  /** config.json's security policy is malformed. */
  | 'POLICY_INVALID'
  /** A signing key is missing, malformed or not ed25519. */
  | 'KEY_INVALID'
  /** A private key was given where a public one belongs (`keys add`). */
  | 'PRIVATE_KEY_REFUSED'
  /** An archive breaks a rule (traversal, links, devices, size, entry count) or is not a tarball. */
  | 'ARCHIVE_REFUSED'
  /** A plugin folder could not be read. */
  | 'UNREADABLE';

/** A trust check that could not run, or an archive that was refused; the message says what to fix. */
export class TrustError extends MarathonError<TrustErrorCode> {
  override readonly name = 'TrustError';

  constructor(code: TrustErrorCode, message: string) {
    super(code, message);
  }
}
