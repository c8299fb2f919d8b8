// The reports of CONTRACT §11 through the typed client: the complaint statistics (as JSON for the page, as CSV
// for the download) and the merchants' dispute rates.
import { InvestigationSchemas, ok, Problem, ProblemError, RecourseClient } from '@recourse/client';

export type ComplaintStatistics = InvestigationSchemas['ComplaintStatisticsView'];
export type ComplaintRow = InvestigationSchemas['ComplaintRowView'];
export type MerchantRatePage = InvestigationSchemas['MerchantRatePage'];

type Period = { from: string; to: string };

export const complaintStatistics = (client: RecourseClient, period: Period) =>
  ok(client.investigation.GET('/v1/reports/complaints', { params: { query: { ...period, format: 'json' } } }));

/** The CSV as the service writes it, with the Content-Disposition it names the file in. */
export async function complaintsCsv(client: RecourseClient, period: Period): Promise<{ blob: Blob; contentDisposition: string | null }> {
  const { data, error, response } = await client.investigation.GET('/v1/reports/complaints', { params: { query: { ...period, format: 'csv' } }, parseAs: 'blob' });
  if (!response.ok || !data) throw new ProblemError(response.status, error as Problem);
  return { blob: data as unknown as Blob, contentDisposition: response.headers.get('content-disposition') };
}

/** One page of merchants, highest rate first. */
export const merchantRates = (client: RecourseClient, window: string, limit: number, cursor?: string) =>
  ok(client.investigation.GET('/v1/reports/merchants', { params: { query: { window, limit, cursor } } }));
