/**
 * Cutting text for span attributes and records without breaking it: `String.prototype.slice`
 * counts UTF-16 code units, so a cut can fall between the two halves of a surrogate pair (an
 * emoji, say) and leave a lone surrogate that PostgreSQL's jsonb refuses.
 */

/** `text` cut to at most `max` UTF-16 code units, never inside a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  // A high surrogate as the last kept unit would lose its low half: cut one unit earlier.
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}
