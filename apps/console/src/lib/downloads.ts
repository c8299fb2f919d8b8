// What a downloaded report is saved under: the name the service gives it, so the console and a script that
// calls the API save the same file under the same name.

/** The file name of a Content-Disposition header (`filename="…"` or a bare `filename=…`), else `fallback`. */
export function attachmentFileName(contentDisposition: string | null, fallback: string): string {
  const quoted = /filename="([^"]+)"/i.exec(contentDisposition ?? '')?.[1];
  const bare = /filename=([^;\s]+)/i.exec(contentDisposition ?? '')?.[1];
  return quoted ?? bare ?? fallback;
}
