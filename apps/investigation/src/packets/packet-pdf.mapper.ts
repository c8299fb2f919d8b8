import PDFDocument from 'pdfkit';
import { labelsFor, PacketLabel, PacketLabels } from './packet-labels.mapper';
import { Packet, PacketFile } from './packet.types';

/** The font the whole packet is set in: one that has CJK glyphs (PACKET_FONT; a collection's face by PACKET_FONT_NAME). */
export interface PacketFont {
  path: string;
  /** The face's PostScript name inside a .ttc collection; empty for a single TTF or OTF. */
  name: string;
}

const FONT = 'packet';
const SIZE = { title: 18, heading: 13, body: 9.5, small: 7.5 };
const GREY = '#555555';
const IMAGE_BOX: [number, number] = [260, 180];

/**
 * Draws a packet as one PDF, buffered (a case has at most a few dozen files of at most 5 MiB). One embedded
 * font for every character, so Chinese renders and pdftotext reads all text back; ids and hashes are printed
 * whole: on their own lines in a smaller size, where a 64-character hash fits one line, and anything longer
 * breaks between characters without a hyphen.
 */
export function renderPacketPdf(packet: Packet, font: PacketFont): Promise<Buffer> {
  const labels = labelsFor(packet.locale);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${labels.title} ${packet.summary[0]?.[1] ?? ''}`, Creator: 'Recourse' } });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, font.path, font.name || undefined);
  new PacketWriter(doc, labels).write(packet);
  doc.end();
  return done;
}

class PacketWriter {
  constructor(private readonly doc: PDFKit.PDFDocument, private readonly labels: PacketLabels) {}

  write(packet: Packet): void {
    const { doc, labels } = this;
    doc.font(FONT).fontSize(SIZE.title).fillColor('black').text(labels.title);
    this.muted(`${packet.reader === 'investigator' ? labels.forInvestigator : labels.forMerchant} · ${labels.generatedAt} ${packet.generatedAt}`);

    this.heading('summary');
    this.fields(packet.summary);
    this.label(labels.description);
    this.body(packet.description);

    this.heading('deadlines');
    this.fields(packet.deadlines);
    this.heading('payment');
    this.fields(packet.payment);

    this.heading('timeline');
    if (packet.timeline.length === 0) this.body(labels.none);
    for (const entry of packet.timeline) this.body(`${entry.at}  ${entry.type}${entry.detail ? `  ${entry.detail}` : ''}`);

    this.heading('thread');
    if (packet.thread.length === 0) this.body(labels.none);
    for (const entry of packet.thread) {
      this.label(`${entry.at}  ${entry.from} (${entry.visibility})`);
      this.body(entry.body);
      for (const file of entry.attachments) this.long(`${labels.attachments}: ${file.fileName}`, file.sha256);
    }

    this.heading('files');
    for (const response of packet.responses) {
      this.label(`${response.at}  ${response.kind}`);
      this.body(response.body);
    }
    if (packet.files.length === 0) this.body(labels.none);
    for (const file of packet.files) this.file(file);

    this.heading('decision');
    if (packet.decision) this.fields(packet.decision);
    else this.body(labels.undecided);

    if (packet.internal) this.internal(packet.internal);
  }

  private internal(internal: NonNullable<Packet['internal']>): void {
    const { labels } = this;
    this.heading('internal');
    this.label(labels.risk);
    for (const line of internal.risk) this.body(line);
    this.label(labels.notes);
    if (internal.notes.length === 0) this.body(labels.none);
    for (const note of internal.notes) {
      this.muted(`${note.at}  ${note.kind}  ${note.shared ? labels.shared : labels.internalOnly}`);
      this.body(note.body);
    }

    this.heading('audit');
    const verdict = internal.verdict.valid
      ? `${labels.valid} (${internal.verdict.entries} ${labels.entries})`
      : `${labels.broken} ${internal.verdict.brokenAt}`;
    this.fields([['verdict', verdict]]);
    for (const entry of internal.audit) this.long(`#${entry.seq}  ${entry.at}  ${entry.actor.type}:${entry.actor.id}  ${entry.action}`, entry.hash);
  }

  private file(file: PacketFile): void {
    const { doc, labels } = this;
    this.long(`${file.fileName}  ${file.contentType}  ${labels.source}: ${file.source}`, file.sha256);
    if (!file.image) {
      this.muted(labels.notShown);
      return;
    }
    if (doc.y + IMAGE_BOX[1] > doc.page.height - doc.page.margins.bottom) doc.addPage();
    try {
      doc.image(file.image, { fit: IMAGE_BOX });
    } catch {
      // The type was checked against the bytes on upload; a picture pdfkit cannot decode is still listed above.
      this.muted(labels.notShown);
    }
    doc.moveDown(0.5);
  }

  private heading(key: PacketLabel): void {
    const { doc } = this;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
    doc.moveDown(0.8).fontSize(SIZE.heading).fillColor('black').text(this.labels[key]);
    const y = doc.y + 1;
    doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.width - doc.page.margins.right, y).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.moveDown(0.4);
  }

  private fields(rows: readonly [string, string][]): void {
    for (const [key, value] of rows) this.body(`${this.labels[key as PacketLabel] ?? key}: ${value}`);
  }

  private label(text: string): void {
    this.doc.fontSize(SIZE.body).fillColor(GREY).text(text);
  }

  private body(text: string): void {
    this.doc.fontSize(SIZE.body).fillColor('black').text(text, { lineGap: 1 });
  }

  private muted(text: string): void {
    this.doc.fontSize(SIZE.small).fillColor(GREY).text(text);
  }

  /** A line about an id or hash, then the value whole on its own line. */
  private long(text: string, value: string): void {
    this.body(text);
    this.doc.fontSize(SIZE.small).fillColor(GREY).text(value, { lineBreak: true });
  }
}
