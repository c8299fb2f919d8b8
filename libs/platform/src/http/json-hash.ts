import type { Hash } from 'node:crypto';
import { StreamedBase64 } from '../attachments/streamed-base64';

/**
 * Feeds `hash` exactly the text `JSON.stringify(value)` would give, piece by piece, for a value JSON.parse
 * made (objects, arrays, strings, numbers, booleans, null): a body of 33 MiB of base64 is hashed without a
 * second 33 MiB string of it. The digest is the same as before, so fingerprints stored earlier still match.
 * An attachment decoded as the body streamed in (StreamedBase64) is hashed as the string that was sent.
 */
export function updateWithJson(hash: Hash, value: unknown): Hash {
  if (value instanceof StreamedBase64) {
    for (const piece of value.jsonPieces()) hash.update(piece);
    return hash;
  }
  if (Array.isArray(value)) {
    hash.update('[');
    value.forEach((item, index) => {
      if (index > 0) hash.update(',');
      updateWithJson(hash, item);
    });
    return hash.update(']');
  }
  if (value !== null && typeof value === 'object') {
    hash.update('{');
    Object.entries(value).forEach(([key, item], index) => {
      hash.update(index > 0 ? `,${JSON.stringify(key)}:` : `${JSON.stringify(key)}:`);
      updateWithJson(hash, item);
    });
    return hash.update('}');
  }
  return hash.update(JSON.stringify(value) ?? 'null');
}
