import { ApiProperty } from '@nestjs/swagger';

export class LedgerEntryView {
  @ApiProperty() id: string;
  @ApiProperty() transactionId: string;
  @ApiProperty() refundId: string;
  @ApiProperty({ example: 'customer:c-1' }) account: string;
  @ApiProperty({ enum: ['debit', 'credit'] }) side: 'debit' | 'credit';
  @ApiProperty({ description: 'minor units, always positive; the side says which way' }) amount: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty() at: string;
}

export class AccountView {
  @ApiProperty() account: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'credits − debits in minor units: a refunded customer is positive, its payer negative' }) balance: number;
  @ApiProperty({ type: [LedgerEntryView], description: 'newest first, a page at a time' }) entries: LedgerEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class LedgerVerificationView {
  @ApiProperty({ description: 'debits equal credits, and every transaction balances per currency' }) balanced: boolean;
  @ApiProperty({ description: 'sum of all debits, minor units' }) debits: number;
  @ApiProperty({ description: 'sum of all credits, minor units' }) credits: number;
  @ApiProperty() transactions: number;
  @ApiProperty({ description: 'transactions that do not balance or have fewer than two postings' }) unbalancedTransactions: number;
}
