// Text that came from a plugin (its manifest, its command output, its veto reasons and errors, what
// it made the registry or the history hold) is printed to the operator's terminal. A terminal
// obeys control characters: ESC/CSI/OSC sequences can erase or rewrite lines ("❌ task refused"
// overwritten with "✅ task allowed"), set the clipboard (OSC 52) or the window title; CR and
// backspace move the cursor back over what was printed; bidi overrides reorder what is shown.
// Every human line the CLI prints goes through terminalText, which shows those characters as
// visible escapes instead, so a plugin's text can say anything but can never move the cursor.

export interface TerminalTextOptions {
  /**
   * Keep line breaks: for text that is multi-line by nature (a command's output, an error with its
   * indented details). Off, a line break is shown as `\n`, so one field cannot add lines that
   * look like the CLI's own (a fake "✅" after a refusal).
   */
  multiline?: boolean;
}

const TAB_STOP = 8;

// C0 controls (except tab and line feed, handled apart), DEL, C1 controls (U+0080–U+009F, which
// include the 8-bit CSI U+009B and OSC U+009D), and the Unicode bidi, line and paragraph
// separators and format characters that reorder or break text without being seen.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Tabs become the spaces a terminal would have shown, so column arithmetic (padEnd) stays right. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : char;
  return out;
}

/**
 * The text as it is safe to print: control characters as visible escapes (ESC as `\x1b`, CR as
 * `\x0d`, RLO as `\u202e`), tabs as spaces, line breaks kept only with `multiline` (a CRLF counting as one).
 * Idempotent: its output contains no control character, so applying it twice changes nothing.
 */
export function terminalText(text: string, options: TerminalTextOptions = {}): string {
  const lines = options.multiline === true ? text.replace(/\r\n/g, '\n').split('\n') : [text];
  return lines.map((line) => expandTabs(line).replace(/\n/g, '\\n').replace(CONTROL, visible)).join('\n');
}

// What JSON.stringify leaves raw although a terminal may act on it: DEL, C1 controls, and the
// bidi/separator characters above (C0 controls it already escapes as \u00XX).
const JSON_UNESCAPED = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with every character a terminal could act on written as a \uXXXX escape: the same
 * JSON value, byte-for-byte safe to print (`marathon plugin list --json` read on a terminal).
 */
export function terminalJson(json: string): string {
  return json.replace(JSON_UNESCAPED, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
