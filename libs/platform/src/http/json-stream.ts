/**
 * Where a string value sits in the document: the keys and array indexes from the root to it.
 * `['attachments', 0, 'contentBase64']` is `body.attachments[0].contentBase64`.
 */
export type JsonPath = ReadonlyArray<string | number>;

/** Receives one string value's text as it is parsed (escapes already decoded); `end` gives the value to store. */
export interface StringSink {
  write(text: string): void;
  end(): unknown;
}

/** Thrown for text JSON.parse would refuse; the caller answers it as malformed JSON. */
export class JsonStreamError extends SyntaxError {}

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** The key whose value is being parsed (objects only). */
  key: string;
}

type Mode = 'value' | 'firstValueOrClose' | 'firstKeyOrClose' | 'key' | 'colon' | 'afterValue' | 'end' | 'string' | 'escape' | 'unicode' | 'number' | 'literal';

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: Record<string, { text: string; value: unknown }> = {
  t: { text: 'true', value: true }, f: { text: 'false', value: false }, n: { text: 'null', value: null },
};
const WHITESPACE = /[ \t\n\r]*/y;
/** A run of string characters that need no care: up to a quote, a backslash or a control character. */
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER_CHARS = /[0-9eE+\-.]*/y;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * A push parser for JSON text arriving in pieces, with JSON.parse's grammar and JSON.parse's values (same
 * numbers, duplicate keys keep the last value at the first position, `__proto__` an own property), so a
 * body parsed here is the body body-parser would have given. What it adds: `sinkFor` may claim a string
 * value by its path before its text arrives, and then receives that text piece by piece instead of it being
 * built into one string (a 6.7 MiB base64 attachment is decoded as it streams, never held as text).
 * Strict as body-parser is: the document is an object or an array. Iterative (an explicit stack): depth
 * cannot overflow the call stack.
 */
export class JsonStreamParser {
  private mode: Mode = 'value';
  private readonly stack: Frame[] = [];
  private root: unknown;
  /** The string being read: a key, a value built from parts, or a value fed to a sink. */
  private stringIsKey = false;
  private parts: string[] = [];
  private sink: StringSink | null = null;
  /** A number's or literal's characters so far, or a \u escape's hex digits. */
  private pending = '';
  private literal = LITERALS.t;

  constructor(private readonly sinkFor: (path: JsonPath) => StringSink | null = () => null) {}

  /** Parses the next piece of text; throws JsonStreamError at the first character JSON.parse would refuse. */
  write(text: string): void {
    let at = 0;
    while (at < text.length) at = this.step(text, at);
  }

  /** The document, once all text is written; throws if it is incomplete. */
  end(): unknown {
    if (this.mode === 'number') this.endNumber();
    if (this.mode !== 'end') throw new JsonStreamError('Unexpected end of JSON input');
    return this.root;
  }

  /** Consumes what it can of `text` from `at` in the current mode; returns where it stopped. */
  private step(text: string, at: number): number {
    switch (this.mode) {
      case 'string': return this.stringRun(text, at);
      case 'escape': return this.escape(text, at);
      case 'unicode': return this.unicode(text, at);
      case 'number': return this.numberRun(text, at);
      case 'literal': return this.literalRun(text, at);
      default: break;
    }
    WHITESPACE.lastIndex = at;
    WHITESPACE.test(text);
    at = WHITESPACE.lastIndex;
    if (at >= text.length) return at;
    const char = text[at];
    switch (this.mode) {
      case 'value':
      case 'firstValueOrClose':
        if (char === ']' && this.mode === 'firstValueOrClose') return this.close(at);
        return this.startValue(char, at);
      case 'firstKeyOrClose':
        if (char === '}') return this.close(at);
        return this.startKey(char, at);
      case 'key': return this.startKey(char, at);
      case 'colon':
        if (char !== ':') throw unexpected(char);
        this.mode = 'value';
        return at + 1;
      case 'afterValue': {
        const top = this.stack[this.stack.length - 1];
        if (char === ',') {
          this.mode = Array.isArray(top.container) ? 'value' : 'key';
          return at + 1;
        }
        if (char === (Array.isArray(top.container) ? ']' : '}')) return this.close(at);
        throw unexpected(char);
      }
      default: throw unexpected(char); // 'end': only whitespace may follow the document
    }
  }

  private startValue(char: string, at: number): number {
    // body-parser's strict mode, which the services use: a document is an object or an array.
    if (this.stack.length === 0 && char !== '{' && char !== '[') throw unexpected(char);
    if (char === '{' || char === '[') {
      const container = char === '{' ? {} : [];
      this.stack.push({ container, key: '' });
      this.mode = char === '{' ? 'firstKeyOrClose' : 'firstValueOrClose';
      return at + 1;
    }
    if (char === '"') {
      this.stringIsKey = false;
      this.sink = this.sinkFor(this.path());
      this.parts = [];
      this.mode = 'string';
      return at + 1;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      this.pending = '';
      this.mode = 'number';
      return at;
    }
    const literal = LITERALS[char];
    if (!literal) throw unexpected(char);
    this.literal = literal;
    this.pending = '';
    this.mode = 'literal';
    return at;
  }

  private startKey(char: string, at: number): number {
    if (char !== '"') throw unexpected(char);
    this.stringIsKey = true;
    this.sink = null;
    this.parts = [];
    this.mode = 'string';
    return at + 1;
  }

  private stringRun(text: string, at: number): number {
    PLAIN_RUN.lastIndex = at;
    PLAIN_RUN.test(text);
    const end = PLAIN_RUN.lastIndex;
    if (end > at) this.append(text.slice(at, end));
    if (end >= text.length) return end;
    const char = text[end];
    if (char === '\\') {
      this.mode = 'escape';
      return end + 1;
    }
    if (char !== '"') throw unexpected(char); // a raw control character
    this.endString();
    return end + 1;
  }

  private escape(text: string, at: number): number {
    const char = text[at];
    if (char === 'u') {
      this.pending = '';
      this.mode = 'unicode';
      return at + 1;
    }
    const decoded = ESCAPES[char];
    if (decoded === undefined) throw unexpected(char);
    this.append(decoded);
    this.mode = 'string';
    return at + 1;
  }

  private unicode(text: string, at: number): number {
    const take = Math.min(4 - this.pending.length, text.length - at);
    this.pending += text.slice(at, at + take);
    if (this.pending.length < 4) return at + take;
    if (!HEX4.test(this.pending)) throw new JsonStreamError('Bad Unicode escape in JSON');
    // One UTF-16 unit per escape: a surrogate pair is two escapes, as JSON.parse reads it.
    this.append(String.fromCharCode(parseInt(this.pending, 16)));
    this.mode = 'string';
    return at + take;
  }

  private append(piece: string): void {
    if (this.sink) this.sink.write(piece);
    else this.parts.push(piece);
  }

  private endString(): void {
    const text = this.sink ? null : this.parts.join('');
    this.parts = [];
    if (this.stringIsKey) {
      this.stack[this.stack.length - 1].key = text as string;
      this.mode = 'colon';
      return;
    }
    const value = this.sink ? this.sink.end() : text;
    this.sink = null;
    this.emit(value);
  }

  private numberRun(text: string, at: number): number {
    NUMBER_CHARS.lastIndex = at;
    NUMBER_CHARS.test(text);
    const end = NUMBER_CHARS.lastIndex;
    this.pending += text.slice(at, end);
    if (end < text.length) this.endNumber();
    return end;
  }

  private endNumber(): void {
    if (!NUMBER.test(this.pending)) throw new JsonStreamError(`Bad number in JSON: ${this.pending.slice(0, 32)}`);
    this.emit(Number(this.pending));
  }

  private literalRun(text: string, at: number): number {
    const { text: expected, value } = this.literal;
    const take = Math.min(expected.length - this.pending.length, text.length - at);
    const piece = text.slice(at, at + take);
    if (piece !== expected.slice(this.pending.length, this.pending.length + take)) throw unexpected(piece);
    this.pending += piece;
    if (this.pending.length === expected.length) this.emit(value);
    return at + take;
  }

  private close(at: number): number {
    const { container } = this.stack.pop() as Frame;
    this.emit(container);
    return at + 1;
  }

  /** Stores a finished value in its container (or as the document) and expects what may follow it. */
  private emit(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = value;
      this.mode = 'end';
      return;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    // `__proto__` would set the prototype by assignment; JSON.parse makes it an own property.
    else if (top.key === '__proto__') Object.defineProperty(top.container, top.key, { value, writable: true, enumerable: true, configurable: true });
    else top.container[top.key] = value;
    this.mode = 'afterValue';
  }

  private path(): JsonPath {
    return this.stack.map(({ container, key }) => (Array.isArray(container) ? container.length : key));
  }
}

function unexpected(char: string): JsonStreamError {
  return new JsonStreamError(`Unexpected token ${JSON.stringify(char)} in JSON`);
}
