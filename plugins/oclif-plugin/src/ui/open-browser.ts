// `marathon ui --open`: the platform's own opener, detached, with the URL as one argument (no shell).
import { spawn } from 'node:child_process';

function opener(url: string): { command: string; args: string[] } {
  if (process.platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (process.platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { command: 'xdg-open', args: [url] };
}

/** Starts the browser on `url`; resolves with what went wrong, or undefined once the opener started. */
export function openBrowser(url: string): Promise<string | undefined> {
  const { command, args } = opener(url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (error: NodeJS.ErrnoException) => resolve(`could not start ${command} (${error.code ?? error.message})`));
    child.once('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}
