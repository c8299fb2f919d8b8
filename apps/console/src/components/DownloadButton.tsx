// The reports' and the case's downloads: a file fetched with the bearer token (a plain link could not send
// it), saved from a Blob under the name the service gives or the page chooses.
import { useState } from 'react';
import type { MessageKey } from '../lib/i18n';
import { ErrorMessage } from './bits';

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** Saves a Blob as a download, as a click on a link to it would. */
export function saveBlob({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a little later: the browser reads the Blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A button that fetches a file and saves it; a refusal is announced beside it. */
export function DownloadButton({ label, file, disabled = false, explain, primary = false }: {
  label: string;
  file: () => Promise<DownloadedFile>;
  disabled?: boolean;
  /** Refusals worded in the console's language, by problem code (see ErrorMessage). */
  explain?: Partial<Record<string, MessageKey>>;
  primary?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      saveBlob(await file());
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={primary ? 'primary' : undefined} disabled={disabled || busy} aria-busy={busy || undefined} onClick={() => void download()}>
        {label}
      </button>
      <ErrorMessage error={error} explain={explain} />
    </>
  );
}
