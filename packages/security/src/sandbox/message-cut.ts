// How much of a plugin's error message Marathon keeps, and how it is cut. One rule for the three
// places a message is cut: the guest's own cut before it answers (the prelude reads the length from
// PreludeInfo, being unable to import host code), the host's check of that answer
// (result-envelope.ts: a plugin may have bypassed the prelude's cut), and an error the host
// describes itself from the engine (plugin-instance.ts).

/** Characters of a guest's error message the host keeps. */
export const MAX_MESSAGE_CHARS = 2000;

/** `text`, cut to MAX_MESSAGE_CHARS with `...` when longer. */
export function cutMessage(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}...` : text;
}
