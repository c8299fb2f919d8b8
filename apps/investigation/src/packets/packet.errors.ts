import { ErrorSpec } from '@recourse/platform';

export const PacketErrors = {
  FontMissing: { code: 'packet_font_missing', status: 503, title: 'The evidence packet cannot be drawn: its CJK font (PACKET_FONT) is not installed' },
} as const satisfies Record<string, ErrorSpec>;
