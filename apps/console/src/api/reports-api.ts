// The reports of CONTRACT §11 through the typed client: the complaint statistics and the merchants' dispute
// rates, each as JSON for the page and as the service's CSV for the download.
import { InvestigationSchemas, ok, Problem, ProblemError, RecourseClient } from '@recourse/client';
import type { DownloadedFile } from '../components/DownloadButton';
import { attachmentFileName } from '../lib/downloads';

export type ComplaintStatistics = InvestigationSchemas['ComplaintStatisticsView'];
export type ComplaintRow = InvestigationSchemas['ComplaintRowView'];
export type MerchantRatePage = InvestigationSchemas['MerchantRatePage'];

type Period = { from: string; to: string };

export const complaintStatistics = (client: RecourseClient, period: Period) =>
  ok(client.investigation.GET('/v1/reports/complaints', { params: { query: { ...period, format: 'json' } } }));

/** A CSV as the service writes it, under the name its Content-Disposition gives (else `fallback`). */
function csvFile({ data, error, response }: { data?: unknown; error?: unknown; response: Response }, fallback: string): DownloadedFile {
  if (!response.ok || !data) throw new ProblemError(response.status, error as Problem);
  return { blob: data as Blob, fileName: attachmentFileName(response.headers.get('content-disposition'), fallback) };
}

export const complaintsCsv = async (client: RecourseClient, period: Period) => csvFile(
  await client.investigation.GET('/v1/reports/complaints', { params: { query: { ...period, format: 'csv' } }, parseAs: 'blob' }),
  'complaints.csv',
);

/** One page of merchants, highest rate first, with the thresholds the service applies. */
export const merchantRates = (client: RecourseClient, window: string, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/reports/merchants', { params: { query: { window, limit, cursor } } }));

/** Every merchant of the window as CSV, in one file the service writes. */
export const merchantRatesCsv = async (client: RecourseClient, window: string) => csvFile(
  await client.investigation.GET('/v1/reports/merchants', { params: { query: { window, format: 'csv' } }, parseAs: 'blob' }),
  `merchant-dispute-rates-${window}.csv`,
);
