import { ApiProperty } from '@nestjs/swagger';
import { LOCALES, Locale } from '@recourse/contracts';

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty() disputeId: string;
  @ApiProperty({ example: 'refund.succeeded' }) type: string;
  @ApiProperty({ description: "in the dispute's locale" }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) data: NotificationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
