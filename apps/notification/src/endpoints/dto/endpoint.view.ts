import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '@recourse/contracts';

export class EndpointView {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: WebhookEventType[];
  @ApiProperty({ description: 'false once the endpoint answered 410 Gone' }) enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() createdAt: string;
}

export class EndpointWithSecretView extends EndpointView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'shown only on creation and rotation' })
  secret: string;
}

export class EndpointPage {
  @ApiProperty({ type: [EndpointView] }) data: EndpointView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
