import { checkDocumented, parseBody } from './documented';

/** A tiny JSON client over fetch for tests: status, headers and parsed body; each answer is checked against its service's document. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const parsed = parseBody(await response.text());
  checkDocumented({ method, url: `${baseUrl}${path}`, status: response.status, body: parsed });
  return { status: response.status, headers: response.headers, body: parsed as T };
}
