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
  @ApiProperty({ description: 'extension: frozen accounts take no refund or provisional credit' }) frozen: boolean;
  @ApiProperty({ type: [LedgerEntryView], description: 'newest first, a page at a time' }) entries: LedgerEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CurrencyTotalsView {
  @ApiProperty() currency: string;
  @ApiProperty() debits: number;
  @ApiProperty() credits: number;
}

export class LedgerVerificationView {
  @ApiProperty({ description: 'every transaction balances per currency, debits equal credits in each currency, no failed booking has postings' })
  balanced: boolean;
  @ApiProperty({ description: 'sum of all debits, minor units' }) debits: number;
  @ApiProperty({ description: 'sum of all credits, minor units' }) credits: number;
  @ApiProperty() transactions: number;
  @ApiProperty({ description: 'transactions that do not balance in one of their currencies or have fewer than two postings' }) unbalancedTransactions: number;
  @ApiProperty({ description: 'failed refunds or provisional credits that nevertheless have postings (half-booked)' }) failedWithPostings: number;
  @ApiProperty({ type: [CurrencyTotalsView], description: 'totals per currency: amounts in different currencies never net' }) currencies: CurrencyTotalsView[];
}
