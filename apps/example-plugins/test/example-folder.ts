import { join } from 'node:path';

/** The built folder of an example plugin (what gets installed). */
export function built(name: string): string {
  return join(__dirname, '..', 'plugins', name);
}
