// Photos and PDFs for a dispute or a message: from the phone's files or straight from its camera. Each chosen
// file is listed with a thumbnail and a remove button; what cannot be sent is refused here, with the reason.
import { useEffect, useId, useRef, useState } from 'react';
import { fileSize } from '../../lib/format';
import { useCustomer } from '../context';
import { ChosenFile, isRefusal, MAX_FILES, prepareFile } from '../files';

interface Props {
  files: ChosenFile[];
  onChange: (files: ChosenFile[]) => void;
  /** The service's word on the attachments, when it refused them. */
  problem?: string;
}

export function FilePicker({ files, onChange, problem }: Props) {
  const { locale, t } = useCustomer();
  const id = useId();
  const [preparing, setPreparing] = useState(false);
  const [refusals, setRefusals] = useState<string[]>([]);
  const shown = useRef(files);
  shown.current = files;
  // Thumbnails are object URLs: let them go with the page.
  useEffect(() => () => shown.current.forEach(revoke), []);

  const add = async (input: HTMLInputElement) => {
    const picked = Array.from(input.files ?? []);
    // Cleared, so choosing the same file again (after removing it) is a change again.
    input.value = '';
    if (picked.length === 0) return;
    setPreparing(true);
    const messages: string[] = [];
    const accepted: ChosenFile[] = [];
    // One at a time: decoding several camera photos at once can exhaust a phone's memory.
    for (const file of picked) {
      const prepared = await prepareFile(file);
      if (isRefusal(prepared)) messages.push(t(prepared.reason, { name: prepared.name }));
      else accepted.push(prepared);
    }
    const room = MAX_FILES - files.length;
    if (accepted.length > room) {
      messages.push(t('tooManyFiles'));
      accepted.slice(room).forEach(revoke);
    }
    onChange([...files, ...accepted.slice(0, room)]);
    setRefusals(messages);
    setPreparing(false);
  };

  const remove = (file: ChosenFile) => {
    revoke(file);
    setRefusals([]);
    onChange(files.filter((other) => other.key !== file.key));
  };

  const blocked = preparing || files.length >= MAX_FILES;
  return (
    <fieldset className="field files" aria-describedby={`${id}-hint`}>
      <legend>{t('attachmentsLegend')}</legend>
      <p id={`${id}-hint`} className="hint">{t('attachmentsHint')}</p>
      <div className="file-buttons">
        <input id={`${id}-files`} className="file-input" type="file" accept="image/jpeg,image/png,application/pdf" multiple disabled={blocked}
          onChange={(event) => void add(event.currentTarget)} />
        <label htmlFor={`${id}-files`} className="button secondary">{t('chooseFiles')}</label>
        <input id={`${id}-camera`} className="file-input" type="file" accept="image/*" capture="environment" disabled={blocked}
          onChange={(event) => void add(event.currentTarget)} />
        <label htmlFor={`${id}-camera`} className="button secondary">{t('takePhoto')}</label>
      </div>
      <p role="status" className="hint">{preparing ? t('preparingFiles') : ''}</p>
      {(refusals.length > 0 || problem) && (
        <div role="alert" className="field-error">
          {refusals.map((message) => <p key={message}>{message}</p>)}
          {problem && <p>{problem}</p>}
        </div>
      )}
      {files.length > 0 && (
        <ul className="chosen">
          {files.map((file) => (
            <li key={file.key} data-file={file.fileName}>
              {file.previewUrl ? <img src={file.previewUrl} width={48} height={48} alt="" /> : <span className="file-icon" aria-hidden="true">PDF</span>}
              <span className="file-name">{file.fileName}</span>
              <span className="file-size">{fileSize(file.size, locale)}{file.shrunk && ` · ${t('shrunk')}`}</span>
              <button type="button" className="link" disabled={preparing} aria-label={t('removeFile', { name: file.fileName })} onClick={() => remove(file)}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

function revoke(file: ChosenFile) {
  if (file.previewUrl) URL.revokeObjectURL(file.previewUrl);
}
