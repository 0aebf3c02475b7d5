// Keeping npm credentials out of everything Marathon shows: errors, `--json`, `plugin search`.
// One function, redact(), is what every message of the npm client goes through. It removes the
// exact secret values the configuration holds (tokens, passwords, their base64 and decoded forms)
// and, by shape, whatever looks like a credential in a URL or an .npmrc line — so that a secret
// Marathon was never told about (a password in a URL an error message quotes) is hidden too.

/** What redact() needs: the secret values of the configuration. */
export interface SecretSource {
  secrets: readonly string[];
}

/** Query parameters that carry credentials in registry and tarball URLs. */
const SECRET_QUERY = /([?&](?:[a-z0-9]+[_-])*(?:token|auth|key|apikey|secret|password|passwd|pwd|sig|signature|credential)=)[^&#\s'"]*/gi;
/** `scheme://user:password@` or `scheme://token@`: the whole user part goes. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"]+@/gi;
/** An .npmrc auth line quoted in a message. */
const RC_AUTH_LINE = /(:(?:_authToken|_auth|_password)\s*=\s*)\S+/g;
/** An Authorization header quoted in a message. */
const AUTH_HEADER = /\b((?:Bearer|Basic)\s+)[A-Za-z0-9+/=._~-]{6,}/g;

/** The forms a configured secret may be shown in: as written, URL-encoded, base64-decoded. */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const encoded = encodeURIComponent(value);
  forms.add(encoded);
  try {
    forms.add(decodeURIComponent(value));
  } catch {
    // Not URL-encoded: nothing to add.
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    // `_auth` is base64("user:password"): the password alone is the secret part.
    const password = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : decoded;
    if (/^[\x20-\x7e]+$/.test(decoded) && password.length > 0) forms.add(password);
  }
  return [...forms].filter((form) => form.length > 0);
}

/** Replaces every credential in a text (a message, a URL) with ***. */
export function redact(text: string, source: SecretSource): string {
  let shown = text;
  // Longest first: a token that contains another secret is hidden whole.
  for (const secret of [...source.secrets].sort((a, b) => b.length - a.length)) shown = shown.split(secret).join('***');
  return shown.replace(URL_USERINFO, '$1***@').replace(SECRET_QUERY, '$1***').replace(RC_AUTH_LINE, '$1***').replace(AUTH_HEADER, '$1***');
}
