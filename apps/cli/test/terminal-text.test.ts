// The one function every human line of plugin text goes through (issue 13, part 6).
import { terminalJson, terminalText } from '@marathon/oclif-plugin';

// Any character a terminal acts on besides printing it (tab and line feed are handled apart).
const ACTS_ON_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it('shows ESC, CR and the rest of C0 as visible escapes', () => {
    expect(terminalText('\u001b[2K\r✅ task allowed')).toBe('\\x1b[2K\\x0d✅ task allowed');
    expect(terminalText('a\bb\u0007c\u0000d')).toBe('a\\x08b\\x07c\\x00d');
  });

  it('neutralises an OSC 52 clipboard write and an OSC title change', () => {
    const osc52 = '\u001b]52;c;cm0gLXJmIH4=\u0007';
    expect(terminalText(osc52)).toBe('\\x1b]52;c;cm0gLXJmIH4=\\x07');
    expect(terminalText('\u001b]0;pwned\u001b\\')).toBe('\\x1b]0;pwned\\x1b\\');
  });

  it('neutralises DEL and the 8-bit C1 controls (CSI U+009B, OSC U+009D)', () => {
    expect(terminalText('x\u009b2Ky\u009d0;t\u009cz\u007f')).toBe('x\\x9b2Ky\\x9d0;t\\x9cz\\x7f');
  });

  it('neutralises bidi overrides and isolates, which reorder what is shown', () => {
    expect(terminalText('invoice\u202efdp.exe')).toBe('invoice\\u202efdp.exe');
    expect(terminalText('\u2066a\u2069\u200f')).toBe('\\u2066a\\u2069\\u200f');
  });

  it('keeps a field on its line unless the text is multi-line by nature', () => {
    expect(terminalText('reason\n✅ task allowed')).toBe('reason\\n✅ task allowed');
    expect(terminalText('line one\nline two\r\nline three', { multiline: true })).toBe('line one\nline two\nline three');
    expect(terminalText('over\rwrite\n', { multiline: true })).toBe('over\\x0dwrite\n');
  });

  it('turns tabs into the spaces up to the next tab stop', () => {
    expect(terminalText('a\tb')).toBe('a       b');
    expect(terminalText('name\tvalue\nx\ty', { multiline: true })).toBe('name    value\nx       y');
  });

  it('leaves ordinary text, emoji and non-Latin scripts as they are', () => {
    const text = "✅ Plugin 'hello-world' — Grüße, 你好, שלום ⚠️";
    expect(terminalText(text)).toBe(text);
  });

  it('never lets a control character through, and changes nothing the second time', () => {
    let every = '';
    for (let code = 0; code < 0x2100; code++) every += String.fromCharCode(code);
    for (const multiline of [false, true]) {
      const once = terminalText(every, { multiline });
      expect(once).not.toMatch(ACTS_ON_TERMINAL);
      expect(terminalText(once, { multiline })).toBe(once);
    }
  });
});

describe('terminalJson', () => {
  it('escapes what JSON.stringify leaves raw, and the value stays the same', () => {
    const value = { description: 'a\u009b2Kb\u202ec\u007fd\u2028e', plain: 'ok ✅', esc: '\u001b[31m' };
    const text = JSON.stringify(value, null, 2);
    expect(text).toMatch(ACTS_ON_TERMINAL); // the raw C1, bidi and DEL characters are there…
    const safe = terminalJson(text);
    expect(safe).not.toMatch(ACTS_ON_TERMINAL); // …and gone after
    expect(safe).toContain('a\\u009b2Kb\\u202ec\\u007fd\\u2028e');
    expect(JSON.parse(safe)).toEqual(value);
  });
});
