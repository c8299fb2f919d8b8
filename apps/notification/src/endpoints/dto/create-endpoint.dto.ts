import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '@recourse/contracts';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://merchant.example.com/webhooks/recourse', description: 'https (http only where allowed)' })
  @IsString() @Length(1, 2048)
  url: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'omitted: every type, including types added later' })
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  description?: string;
}
