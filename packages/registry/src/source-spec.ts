// What a URL install source is remembered and shown as. The URL an operator types may carry
// credentials — `user:password@`, or a token in the query (`?token=`, `?access_token=`, a signed
// S3/GCS/Azure/CloudFront link) — and the recorded spec travels: state.json, `plugin info`,
// `--json`, exported lockfiles (0644, committed to repositories), error messages. So a URL source
// is recorded and shown without its userinfo, query and fragment; the URL as typed is used for the
// one fetch and never recorded or put in a message here.
//
// Why the whole query and not only the parameters that look secret: no list of names knows every
// service's (Azure's `sig`, CloudFront's `Signature`, a vendor's `t` or `k`), so a denylist would
// leak the ones it misses, and a signed link's other parameters are worthless without its
// signature anyway. The cost: fetching the recorded spec again (`plugin sync` of an exported
// lockfile) asks for the bare path, so a download that needs its query or credentials must be
// given the full URL again (`plugin install <url>`, `plugin update <name> <url>`), which
// downloadUrl's refusals say. A secret in the path itself cannot be told apart and is kept.

/** `url` without userinfo, query or fragment: scheme, host, port and path, which is all Marathon records or prints. */
export function publicUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Whether publicUrl leaves anything of `url` out (credentials, a query), so that a refusal can say to pass them again. */
export function hasPrivateParts(url: URL): boolean {
  return url.username !== '' || url.password !== '' || url.search !== '';
}
