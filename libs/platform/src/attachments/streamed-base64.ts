import type { StringSink } from '../http/json-stream';
import { SpooledBytes } from './spooled-bytes';

/** Base64 text as class-validator's @IsBase64 accepts it: full quanta, `=` only as the last one or two. */
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
const PADDED_QUANTUM = /^(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;
const PADDED_QUANTUM_PREFIX = /^(?:[A-Za-z0-9+/]{2}={1,2}|[A-Za-z0-9+/]{3}=)$/;

/**
 * A JSON string value that was valid, non-empty base64, decoded while the body streamed in: its bytes (spooled,
 * SpooledBytes), and what is needed to give back the exact text that was sent (for the idempotency
 * fingerprint). Every quantum but a padded last one re-encodes to the same four characters; a padded one may
 * carry trailing bits that decoding drops (`QR==` and `QQ==` are both `A`), so it is kept as text. Fields are
 * private (#) so that class-transformer, which copies enumerable fields, sees nothing to copy (AttachmentDto
 * keeps the instance).
 */
export class StreamedBase64 {
  readonly #bytes: SpooledBytes;
  readonly #tail: string;

  constructor(bytes: SpooledBytes = new SpooledBytes(0), tail = '') {
    this.#bytes = bytes;
    this.#tail = tail;
  }

  get bytes(): SpooledBytes {
    return this.#bytes;
  }

  /** The text JSON.stringify would give for the string sent, in pieces: base64 needs no escaping. */
  *jsonPieces(): Generator<string> {
    yield '"';
    const head = this.#bytes.size - Buffer.byteLength(this.#tail, 'base64');
    let at = 0;
    for (const piece of this.#bytes.piecesSync()) {
      // Pieces are a multiple of 3 bytes: their base64 joins without padding, up to the padded tail.
      const take = Math.min(piece.length, head - at);
      if (take > 0) yield piece.toString('base64', 0, take);
      at += piece.length;
    }
    yield `${this.#tail}"`;
  }
}

/** Where a sink starts when the body's remaining size is unknown (chunked): it doubles from there. */
const FIRST_CAPACITY = 64 * 1024;

/**
 * Decodes one JSON string value as base64 while it streams: complete quanta are written straight into a
 * SpooledBytes (memory, then a temporary file), so neither the text nor pieces of bytes to join later are
 * ever held (each would be garbage that waits for a GC, and RSS with it). `capacityHint` (the decoded size the
 * rest of the body could hold at most) sizes its memory once; `holds` is told of it, to release it when the
 * request ends. It ends as a StreamedBase64, or, when the text is not valid base64 after all (or is empty), as
 * the very string that was sent, so validation refuses it as before. `tooLarge` is thrown at once when the
 * decoded bytes would pass `maxBytes`.
 */
export class Base64Sink implements StringSink {
  private readonly bytes: SpooledBytes;
  /** Characters of the quantum not complete yet, or of a padded last quantum. */
  private pending = '';
  /** Once the text is known not to be base64: the text as sent, kept as an ordinary string would be. */
  private text: string[] | null = null;

  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: () => Error,
    capacityHint = FIRST_CAPACITY,
    private readonly holds: (bytes: SpooledBytes) => void = () => undefined,
  ) {
    this.bytes = this.spool(capacityHint);
  }

  write(piece: string): void {
    if (this.text) return void this.text.push(piece);
    if (NOT_BASE64.test(piece)) return this.keepText(this.pending + piece);
    // The quantum left open by the last piece is completed on its own: joining the pieces would copy
    // the whole piece into a new string, for every piece of a 6.7 MiB text.
    if (this.pending !== '' && !this.pending.includes('=')) {
      const taken = Math.min(4 - this.pending.length, piece.length);
      this.pending += piece.slice(0, taken);
      piece = piece.slice(taken);
      if (this.pending.length < 4) return;
      if (!this.pending.includes('=')) {
        this.decode(this.pending, 3);
        this.pending = '';
      }
    }
    const all = this.pending === '' ? piece : this.pending + piece;
    const padding = all.indexOf('=');
    // Unpadded quanta decode now; a padded one must be the last and waits for the end of the string.
    const complete = padding === -1 ? all.length - (all.length % 4) : padding - (padding % 4);
    const rest = all.slice(complete);
    if (padding !== -1 && !PADDED_QUANTUM_PREFIX.test(rest)) return this.keepText(all);
    if (complete > 0) this.decode(all.slice(0, complete), (complete / 4) * 3);
    this.pending = rest;
  }

  end(): unknown {
    if (this.text) return this.text.join('');
    // Nothing decoded and nothing pending: the empty string, which validation refuses as today.
    if (this.bytes.size === 0 && this.pending === '') return '';
    if (this.pending === '') return new StreamedBase64(this.bytes, '');
    if (!PADDED_QUANTUM.test(this.pending)) return this.keptText(this.pending);
    const tail = this.pending;
    this.decode(tail, Buffer.byteLength(tail, 'base64'));
    return new StreamedBase64(this.bytes, tail);
  }

  private spool(capacityHint: number): SpooledBytes {
    const bytes = new SpooledBytes(Math.min(this.maxBytes, capacityHint));
    this.holds(bytes);
    return bytes;
  }

  private decode(quanta: string, length: number): void {
    if (this.bytes.size + length > this.maxBytes) throw this.tooLarge();
    this.bytes.writeBase64(quanta, length);
  }

  /** The text so far is what was sent: decoded quanta re-encode to their exact characters. */
  private keepText(undecoded: string): void {
    // Each piece is valid only until the next is read: encoded one by one.
    const sent: string[] = [];
    for (const piece of this.bytes.piecesSync()) sent.push(piece.toString('base64'));
    this.text = [...sent, undecoded];
    this.bytes.release();
    this.pending = '';
  }

  private keptText(undecoded: string): string {
    this.keepText(undecoded);
    return (this.text as string[]).join('');
  }
}
