/** The party that wrote a message of a case's conversation (investigators write notes, not messages). */
export type MessageParty = 'customer' | 'merchant';
