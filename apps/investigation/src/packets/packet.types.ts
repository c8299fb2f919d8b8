import { Locale } from '@recourse/contracts';
import { ChainVerdict } from '@recourse/domain';

/** Who a packet is for: investigators (supervisors read as investigators) see everything, a merchant its share. */
export type PacketReader = 'investigator' | 'merchant';

/** A file the packet lists; `image` holds the bytes of a PNG or JPEG this service stores, to be shown. */
export interface PacketFile {
  fileName: string;
  contentType: string;
  sha256: string;
  /** Where the file came from: a thread entry, the merchant's evidence or its appeal. */
  source: string;
  image?: Buffer;
}

/** One line of the customer's timeline as the packet prints it (built from the audit trail). */
export interface PacketTimelineEntry {
  at: string;
  type: string;
  detail: string | null;
}

export interface PacketThreadEntry {
  at: string;
  from: string;
  visibility: string;
  body: string;
  attachments: { fileName: string; sha256: string }[];
}

export interface PacketAuditEntry {
  seq: number;
  at: string;
  actor: { type: string; id: string };
  action: string;
  hash: string;
}

/** Everything one reader's evidence packet shows (CONTRACT §11), gathered before any drawing. */
export interface Packet {
  reader: PacketReader;
  /** Labels follow the dispute's locale, like the customer's timeline. */
  locale: Locale;
  generatedAt: string;
  /** Field name → value, in print order; amounts come formatted and in minor units. */
  summary: [string, string][];
  description: string;
  deadlines: [string, string][];
  payment: [string, string][];
  timeline: PacketTimelineEntry[];
  thread: PacketThreadEntry[];
  /** The merchant's own submissions: its evidence (and acceptance) responses and its appeal. */
  responses: { at: string; kind: string; body: string }[];
  files: PacketFile[];
  decision: [string, string][] | null;
  /** Investigators only: the internal notes, the risk score and the audit trail with its verdict. */
  internal?: {
    risk: string[];
    notes: { at: string; kind: string; shared: boolean; body: string }[];
    audit: PacketAuditEntry[];
    verdict: ChainVerdict;
  };
}
