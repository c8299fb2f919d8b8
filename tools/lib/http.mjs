/**
 * One JSON request for the tools (chaos, demo): `{ status, headers, body }`, the body parsed when it is JSON
 * and left as text otherwise. Sends `token` as a bearer token and `body` as JSON; times out after 15 s.
 */
export async function requestJson(url, method, { token, body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
