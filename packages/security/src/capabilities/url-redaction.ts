// How a URL a plugin fetches is written down — in the audit trail (history/audit.jsonl) and in the
// errors ctx.net.fetch gives — without the secrets webhook URLs carry in their path or query
// (https://hooks.slack.com/services/T000/B000/XXXX, ?token=…): the scheme and host (with its port)
// are kept; of the path, only a first segment that is a short word (a letter, then up to 23
// letters, digits, '.', '_' or '-'); every other segment becomes '***'; of the query, only
// parameter names that are short words, each value '***'; the fragment and any user:password are
// dropped. So https://hooks.slack.com/services/T000/B000/XXXX?token=abc#x is written
// https://hooks.slack.com/services/***/***/***?token=***.

export const REDACTED = '***';
const WORD = /^[A-Za-z][A-Za-z0-9._-]{0,23}$/;

/** `url` as the audit trail and error messages show it. */
export function redactedUrl(url: URL): string {
  const segments = url.pathname.split('/').slice(1);
  const path = segments.map((segment, index) => (segment === '' || (index === 0 && WORD.test(segment)) ? segment : REDACTED));
  const query = url.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      const name = at < 0 ? part : part.slice(0, at);
      return at >= 0 && WORD.test(name) ? `${name}=${REDACTED}` : REDACTED;
    });
  return `${url.protocol}//${url.host}${segments.length === 0 ? '' : `/${path.join('/')}`}${query.length === 0 ? '' : `?${query.join('&')}`}`;
}

/** What a plugin passed as a URL, redacted when it parses, else only its length (it may be a secret all the same). */
export function redactedTarget(raw: unknown): string {
  if (typeof raw !== 'string') return `(not a URL: ${typeof raw})`;
  try {
    return redactedUrl(new URL(raw));
  } catch {
    return `(not a URL, ${raw.length} characters)`;
  }
}
