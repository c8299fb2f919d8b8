// Attachments as intake takes them (CONTRACT §4: at most 5, each at most 5 MiB decoded, JPEG, PNG or PDF),
// prepared in the browser so that a phone's large photo still goes through and a file that cannot is refused
// before a long upload, with a reason the customer can act on.

export const MAX_FILES = 5;
export const MAX_BYTES = 5 * 1024 * 1024;
/** A phone photo's longest side after shrinking: plenty to read a receipt, a fraction of the bytes. */
const MAX_SIDE = 2560;

export type AttachmentType = 'image/jpeg' | 'image/png' | 'application/pdf';

export interface ChosenFile {
  key: string;
  fileName: string;
  contentType: AttachmentType;
  size: number;
  contentBase64: string;
  /** An object URL for a thumbnail (images only); revoke it when the file leaves the list. */
  previewUrl: string | null;
  /** Re-encoded as a smaller JPEG before sending. */
  shrunk: boolean;
}

export interface Refusal {
  reason: 'pdfTooLarge' | 'unsupportedFile' | 'unreadableFile';
  name: string;
}

export const isRefusal = (prepared: ChosenFile | Refusal): prepared is Refusal => 'reason' in prepared;

/** A file as the dispute will carry it, or why it cannot be sent. */
export async function prepareFile(file: File): Promise<ChosenFile | Refusal> {
  if (file.type === 'application/pdf') {
    // A PDF cannot be made smaller here: refuse it now rather than after an upload the service would refuse.
    return file.size > MAX_BYTES ? { reason: 'pdfTooLarge', name: file.name } : chosen(file, file.name, 'application/pdf', false);
  }
  if (!file.type.startsWith('image/')) return { reason: 'unsupportedFile', name: file.name };
  if ((file.type === 'image/jpeg' || file.type === 'image/png') && file.size <= MAX_BYTES) return chosen(file, file.name, file.type, false);
  // A photo too large to send, or in a format intake does not take (HEIC, WebP): re-encoded as a JPEG.
  try {
    return await chosen(await toSmallJpeg(file), file.name.replace(/\.[^.]*$/, '') + '.jpg', 'image/jpeg', true);
  } catch {
    return { reason: 'unreadableFile', name: file.name };
  }
}

async function chosen(blob: Blob, fileName: string, contentType: AttachmentType, shrunk: boolean): Promise<ChosenFile> {
  return {
    key: crypto.randomUUID(), fileName, contentType, size: blob.size, contentBase64: await base64(blob), shrunk,
    previewUrl: contentType === 'application/pdf' ? null : URL.createObjectURL(blob),
  };
}

/** Draws the image smaller until its JPEG fits in MAX_BYTES. */
async function toSmallJpeg(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    let scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    for (let attempt = 0; attempt < 6; attempt++, scale *= 0.7) {
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d canvas');
      // JPEG has no transparency: white, not black, behind a transparent PNG.
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
      if (!jpeg) throw new Error('the browser could not encode a JPEG');
      if (jpeg.size <= MAX_BYTES) return jpeg;
    }
    throw new Error('still too large');
  } finally {
    bitmap.close();
  }
}

function base64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}
