import { buildMessage, ValidateBy } from 'class-validator';

/** What an event says of a message's file: its name, type and digest, never its content (CONTRACT §10). */
export interface MessageAttachmentData {
  fileName: string;
  contentType: string;
  sha256: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

function isAttachmentData(value: unknown): value is MessageAttachmentData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { fileName, contentType, sha256 } = value as Record<string, unknown>;
  return typeof fileName === 'string' && fileName.length > 0 && typeof contentType === 'string' && contentType.length > 0
    && typeof sha256 === 'string' && SHA256.test(sha256);
}

/**
 * A list of attachment descriptions, checked as one value: the compiled event validator checks no `each`
 * rules, and a file's bytes must never travel, so any element with more than these three fields is refused.
 */
export const IsMessageAttachments = () => ValidateBy({
  name: 'isMessageAttachments',
  validator: {
    validate: (value) => Array.isArray(value) && value.every((item) => isAttachmentData(item) && Object.keys(item).length === 3),
    defaultMessage: buildMessage((each) => `${each}$property must be a list of { fileName, contentType, sha256 }`),
  },
});
