// The stack of an error a plugin's handler threw, as an operator may be shown it (the CLI prints it
// with DEBUG set). QuickJS writes one frame a line, "    at greet (/index.js:4:18)", naming each
// module by its path in the plugin folder. The text is the plugin's own — `error.stack` is an
// ordinary property it may set to anything — so it is trusted for nothing: only lines that read as
// frames are kept, each cut short, at most MAX_STACK_FRAMES of them, out of at most
// MAX_STACK_CHARS characters. Frames in the sandbox's own code (the prelude, the standard globals:
// 'marathon:…') are dropped, and so are the built-ins below the plugin's first frame (the prelude's
// Reflect.apply): they say nothing about the plugin's code. Control characters are left
// for whoever prints the text to neutralise (the CLI's terminalText), as with any plugin message.

/** Characters of a stack the guest prelude sends and the host reads. */
export const MAX_STACK_CHARS = 4096;

/** Frames kept: enough to reach the plugin's handler from where it threw. */
export const MAX_STACK_FRAMES = 30;

/** Characters of one frame kept (a function name can be any computed string). */
const MAX_FRAME_CHARS = 300;

/** A frame's text after "at ": its function and, last, its location in parentheses. */
const FRAME = /^\s*at (.+)$/;
/** A location in the sandbox's own code rather than the plugin's. */
const SANDBOX_LOCATION = /\(marathon:[^()]*\)$/;
/** A built-in function's frame. */
const NATIVE_LOCATION = /\(native\)$/;
/** A location in the plugin folder: "/index.js:4:18" is shown as "index.js:4:18". */
const PLUGIN_LOCATION = /\(\/([^()]*)\)$/;

/**
 * The plugin's frames of a guest stack, one "at <function> (<file>:<line>:<column>)" a line with
 * files relative to the plugin folder; undefined when there is none.
 */
export function readGuestStack(raw: string): string | undefined {
  const frames: string[] = [];
  for (const line of raw.slice(0, MAX_STACK_CHARS).split('\n')) {
    const frame = FRAME.exec(line)?.[1]?.trimEnd();
    if (frame === undefined || SANDBOX_LOCATION.test(frame)) continue;
    const short = frame.length > MAX_FRAME_CHARS ? `${frame.slice(0, MAX_FRAME_CHARS)}...` : frame;
    frames.push(`at ${short.replace(PLUGIN_LOCATION, '($1)')}`);
    if (frames.length === MAX_STACK_FRAMES) break;
  }
  // Below the plugin's handler come the prelude's Reflect.apply ('at apply (native)') and the
  // prelude itself: built-ins at the bottom of the stack called the plugin, it did not call them.
  while (frames.length > 0 && NATIVE_LOCATION.test(frames[frames.length - 1]!)) frames.pop();
  return frames.length === 0 ? undefined : frames.join('\n');
}
