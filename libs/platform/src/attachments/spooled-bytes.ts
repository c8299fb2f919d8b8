import { createHash, Hash, randomUUID } from 'node:crypto';
import { closeSync, openSync, read, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes an attachment keeps in memory before it moves to a file: a receipt photo stays, a 5 MiB scan moves. */
export const SPOOL_AFTER_BYTES = 256 * 1024;
/** The size of the pieces read back (for the COPY and the fingerprint): a multiple of 3, so base64 pieces join. */
const READ_PIECE_BYTES = 48 * 1024;
/** What decoding writes through on its way to a file (decoded quanta of at most this many bytes at a time). */
const scratch = Buffer.allocUnsafe(48 * 1024);

/**
 * An attachment's decoded bytes as its request body streams in, with their SHA-256 and first bytes (issue 16's
 * memory bound). The first SPOOL_AFTER_BYTES stay in memory; past that they move to a temporary file that is
 * unlinked as soon as it is opened, so nothing is left on disk if the process dies. Five 5 MiB attachments in
 * memory were 25–29 MB of RSS per maximum filing (external memory, freed only by a major GC); on a file they
 * are the kernel's page cache, which is no process's RSS and is given back under pressure.
 *
 * `release()` says the request is done with the bytes; the file closes then, or once the last reader started
 * before it finishes (a handler may still be storing them when the client hangs up). A closed descriptor is
 * never read: its number may already belong to another file.
 */
export class SpooledBytes {
  readonly #hash: Hash = createHash('sha256');
  #memory: Buffer;
  #size = 0;
  #fd: number | null = null;
  #sha256: string | null = null;
  #readers = 0;
  #released = false;
  #closed = false;

  constructor(
    expectedBytes = 64 * 1024,
    private readonly inMemoryBytes = SPOOL_AFTER_BYTES,
  ) {
    this.#memory = Buffer.allocUnsafe(Math.max(0, Math.min(expectedBytes, inMemoryBytes)));
  }

  get size(): number {
    return this.#size;
  }

  /** Whether the bytes moved to a file (tests and metrics). */
  get spooled(): boolean {
    return this.#fd !== null;
  }

  /** Hex SHA-256 of every byte written; no byte may be written after it is read. */
  get sha256(): string {
    this.#sha256 ??= this.#hash.digest('hex');
    return this.#sha256;
  }

  /** Appends the bytes `base64` (complete quanta only) decodes to; `length` is their decoded length. */
  writeBase64(base64: string, length: number): void {
    if (this.#fd === null && this.#size + length <= this.inMemoryBytes) {
      this.reserve(this.#size + length);
      const written = this.#memory.write(base64, this.#size, length, 'base64');
      this.#hash.update(this.#memory.subarray(this.#size, this.#size + written));
      this.#size += written;
      return;
    }
    // Quanta of at most the scratch buffer's size at a time: 4 characters decode to 3 bytes.
    const charsPerPiece = (scratch.length / 3) * 4;
    for (let at = 0; at < base64.length; at += charsPerPiece) {
      const written = scratch.write(base64.slice(at, at + charsPerPiece), 0, 'base64');
      this.append(scratch.subarray(0, written));
    }
  }

  /** The first `count` bytes (fewer if there are fewer). */
  head(count: number): Buffer {
    return Buffer.from(this.readSync(0, Math.min(count, this.#size)));
  }

  /** The bytes in pieces of READ_PIECE_BYTES, read from the file without blocking (the attachment COPY). */
  async *pieces(): AsyncGenerator<Buffer> {
    this.assertOpen();
    this.#readers++;
    try {
      for (let at = 0; at < this.#size; at += READ_PIECE_BYTES) {
        const length = Math.min(READ_PIECE_BYTES, this.#size - at);
        if (this.#fd === null) yield this.#memory.subarray(at, at + length);
        else yield await readAt(this.#fd, at, length);
      }
    } finally {
      this.#readers--;
      this.closeIfDone();
    }
  }

  /**
   * The bytes in pieces of READ_PIECE_BYTES, read synchronously: for the idempotency fingerprint, which hashes
   * the text as it goes. A piece is valid only until the next one is read.
   */
  *piecesSync(): Generator<Buffer> {
    this.assertOpen();
    for (let at = 0; at < this.#size; at += READ_PIECE_BYTES) yield this.readSync(at, Math.min(READ_PIECE_BYTES, this.#size - at));
  }

  /** The request is done with these bytes: the file closes now, or when the last reader finishes. */
  release(): void {
    this.#released = true;
    this.closeIfDone();
  }

  private append(bytes: Buffer): void {
    this.#hash.update(bytes);
    if (this.#fd === null) this.#fd = spoolFile(this.#memory.subarray(0, this.#size));
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written, bytes.length - written, this.#size + written);
    this.#size += bytes.length;
  }

  /** Grows the in-memory buffer (by doubling, up to inMemoryBytes) to hold `size` bytes. */
  private reserve(size: number): void {
    if (size <= this.#memory.length) return;
    const grown = Buffer.allocUnsafe(Math.min(this.inMemoryBytes, Math.max(this.#memory.length * 2, size)));
    this.#memory.copy(grown, 0, 0, this.#size);
    this.#memory = grown;
  }

  private readSync(at: number, length: number): Buffer {
    this.assertOpen();
    if (this.#fd === null) return this.#memory.subarray(at, at + length);
    const piece = length <= scratch.length ? scratch.subarray(0, length) : Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const count = readSync(this.#fd, piece, done, length - done, at + done);
      if (count === 0) throw new Error(`attachment spool ended at ${at + done} of ${at + length} bytes`);
      done += count;
    }
    return piece;
  }

  private assertOpen(): void {
    if (this.#closed) throw new Error('attachment bytes read after their request released them');
  }

  private closeIfDone(): void {
    if (!this.#released || this.#readers > 0 || this.#closed) return;
    this.#closed = true;
    this.#memory = Buffer.alloc(0);
    if (this.#fd === null) return;
    const fd = this.#fd;
    this.#fd = null;
    closeSync(fd);
  }
}

/** A new temporary file holding `first`, already unlinked: only its descriptor reaches it. */
function spoolFile(first: Buffer): number {
  const path = join(tmpdir(), `recourse-attachment-${randomUUID()}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  let written = 0;
  while (written < first.length) written += writeSync(fd, first, written, first.length - written, written);
  return fd;
}

function readAt(fd: number, at: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const piece = Buffer.allocUnsafe(length);
    const next = (done: number) => {
      if (done === length) return resolve(piece);
      read(fd, piece, done, length - done, at + done, (error, count) => {
        if (error) return reject(error);
        if (count === 0) return reject(new Error(`attachment spool ended at ${at + done} of ${at + length} bytes`));
        next(done + count);
      });
    };
    next(0);
  });
}
