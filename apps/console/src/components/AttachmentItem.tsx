// One stored file of a case: its name, type, size where known and SHA-256, and a preview on request.
import { useEffect, useState } from 'react';
import { RecourseClient } from '@recourse/client';
import { Attachment, attachment } from '../api/cases-api';
import { useI18n } from '../lib/i18n';
import { ErrorMessage } from './bits';

interface Props {
  caseId: string;
  file: Pick<Attachment, 'fileName' | 'contentType' | 'sha256'> & { size?: number };
  client: RecourseClient;
  /** False where investigation holds only the file's digest (a customer's files stay in intake). */
  previewable?: boolean;
}

/** Loaded on request only: the page refreshes every few seconds and attachments can be 5 MiB each. */
export function AttachmentItem({ caseId, file, client, previewable = true }: Props) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<Error | undefined>();
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  const preview = async () => {
    try {
      setUrl(URL.createObjectURL(await attachment(client, caseId, file.sha256)));
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const size = file.size === undefined ? '' : `, ${Math.ceil(file.size / 1024)} KiB`;
  return (
    <li data-sha256={file.sha256}>
      {file.fileName}{' '}
      <span className="muted">({file.contentType}{size}, sha256 <code title={file.sha256}>{file.sha256.slice(0, 12)}…</code>)</span>{' '}
      {previewable && !url && <button type="button" onClick={() => void preview()}>{t('preview', { name: file.fileName })}</button>}
      <ErrorMessage error={error} />
      {url && file.contentType === 'application/pdf' && <iframe className="preview" src={url} title={file.fileName} />}
      {url && file.contentType !== 'application/pdf' && <img className="preview" src={url} alt={file.fileName} />}
    </li>
  );
}
