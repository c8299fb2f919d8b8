import { COMPLAINT_CSV_COLUMNS, ComplaintStatisticsView } from './dto/complaints.view';

/** RFC 4180 text: a header row with the columns' names, one row per regime × reason × channel, CRLF line ends. */
export function complaintsCsv(statistics: ComplaintStatisticsView): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [COMPLAINT_CSV_COLUMNS.join(','), ...statistics.rows.map((row) => COMPLAINT_CSV_COLUMNS.map((column) => cell(row[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
