import { StreamableFile } from '@nestjs/common';

/**
 * The reports' one CSV writer: RFC 4180 text that a spreadsheet opens as data, never as code.
 *
 * Cells given as numbers (or booleans) are written as they are, so a spreadsheet can compute with them. Text
 * cells come from outside (merchant ids, names) and a spreadsheet runs a cell that begins with `=`, `+`, `-`
 * or `@` as a formula (tab and carriage return can hide such a start), so such text gets a leading `'`, as
 * OWASP's "CSV Injection" advises: the spreadsheet shows the text, and a reader can still tell what it was.
 */

/** What a report may put in a cell; null and undefined are an empty cell. */
export type CsvCell = string | number | boolean | null | undefined;

/** OWASP CSV Injection: the characters a spreadsheet may take as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180 §2.6: a field holding a quote, a comma or a line break is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A whole document: a header row with the columns' names, then one line per row with the row's value for each
 * column, every line ended by CRLF (RFC 4180 §2.1–2.3).
 */
export function csvDocument<Column extends string>(columns: readonly Column[], rows: Iterable<Readonly<Record<Column, CsvCell>>>): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A report's CSV as a download: `text/csv` (UTF-8), saved under `fileName` (ASCII, no quotes). */
export function csvAttachment<Column extends string>(fileName: string, columns: readonly Column[], rows: Iterable<Readonly<Record<Column, CsvCell>>>): StreamableFile {
  const body = Buffer.from(csvDocument(columns, rows), 'utf8');
  return new StreamableFile(body, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${fileName}"`, length: body.length });
}
