import { ApiProperty } from '@nestjs/swagger';
import { THREAD_AUTHORS, ThreadAuthor } from '@recourse/contracts';

/** A file of a message: what it is, never its bytes. */
export class ThreadAttachmentView {
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sha256: string;
}

/** One entry of the conversation as the customer reads it (CONTRACT §10); `from: platform` is an investigator's shared note. */
export class ThreadEntryView {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ enum: THREAD_AUTHORS }) from: ThreadAuthor;
  @ApiProperty() body: string;
  @ApiProperty({ type: [ThreadAttachmentView] }) attachments: ThreadAttachmentView[];
}

export class ThreadView {
  @ApiProperty({ type: [ThreadEntryView], description: "oldest first: the customer's own messages, the merchant's messages for all, investigators' shared notes" })
  data: ThreadEntryView[];
}
