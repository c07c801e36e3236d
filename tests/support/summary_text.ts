/** Summary text helpers for the tests that compare with statsmodels' printed summaries. */

/**
 * Splits factorlab's unit-free condition-number note off a summary: statsmodels prints every
 * other line, this note is factorlab's addition after statsmodels' own large-condition note.
 */
export function splitUnitNote(text: string): { statsmodels: string; note: string | undefined } {
  const match = text.match(/\n\[\d+\] With every column scaled to unit length[^\n]*\n[^\n]*/);
  if (!match) return { statsmodels: text, note: undefined };
  return { statsmodels: text.replace(match[0], ""), note: match[0].trim() };
}
