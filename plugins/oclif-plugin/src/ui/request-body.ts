// A request's body for `marathon ui`'s JSON routes: read from the moment the request arrives, so
// that a refused request is drained too (the connection is not held), and kept only up to a size
// no route needs more than; the route parses it only after the guards let the request through.
import type { IncomingMessage } from 'node:http';
import { UiError } from './ui-error';

/** No route takes more: an install request is a name, a version and a yes or no. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The body's text, or undefined when it was larger than MAX_BODY_BYTES (the rest is read and dropped). */
export function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    // A client that went away sent nothing a route should act on.
    request.on('error', () => resolve(''));
  });
}

/** The body as JSON: undefined when empty; a 400 or 413 refusal when it is not JSON or too large. */
export function jsonBody(text: string | undefined): unknown {
  if (text === undefined) throw new UiError('UI_BAD_REQUEST', 413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UiError('UI_BAD_REQUEST', 400, 'the request body is not JSON');
  }
}
