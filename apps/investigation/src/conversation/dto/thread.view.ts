import { ApiProperty } from '@nestjs/swagger';
import { MESSAGE_VISIBILITIES, MessageVisibility, THREAD_AUTHORS, ThreadAuthor } from '@recourse/contracts';

/** A file of a message: what it is, never its bytes. */
export class ThreadAttachmentView {
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sha256: string;
}

/** One entry of a dispute's conversation (CONTRACT §10); `from: platform` is an investigator's shared note. */
export class ThreadEntryView {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ enum: THREAD_AUTHORS }) from: ThreadAuthor;
  @ApiProperty({ enum: MESSAGE_VISIBILITIES, description: '`all`: the customer and the merchant read it too; `platform`: investigators and its author only' })
  visibility: MessageVisibility;
  @ApiProperty() body: string;
  @ApiProperty({ type: [ThreadAttachmentView] }) attachments: ThreadAttachmentView[];
}
