/**
 * CSV text, the one writer every export uses. A text cell that begins with `=`, `+`, `-` or `@` (or
 * a tab or carriage return) is read as a formula by spreadsheets, so it gets a leading apostrophe,
 * which they show as plain text; numbers stay numbers (a negative accuracy delta is not a formula),
 * and so does text that is exactly a number, such as a swept value "-0.5".
 */

export type CsvValue = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to CSV: cells joined by commas, rows by newlines, with a final newline. */
export function csv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
