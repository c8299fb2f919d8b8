// The typed client (@recourse/client) as the browser pages use it: every service through the console
// server's same-origin proxy (/api/<service>/v1/…), so the browser never needs CORS.
import { createRecourseClient, RecourseClient, TokenSource } from '@recourse/client';

export function browserClient(token: TokenSource): RecourseClient {
  const origin = window.location.origin;
  return createRecourseClient({
    baseUrls: { intake: `${origin}/api/intake`, investigation: `${origin}/api/investigation`, refund: `${origin}/api/refund`, notification: `${origin}/api/notification` },
    token,
  });
}
