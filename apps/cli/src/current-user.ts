import { userInfo } from 'node:os';

/** The operating-system user running the CLI: the `username` of user_authz and `submitted_by` of tasks. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
