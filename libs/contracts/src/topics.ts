/** Kafka topics of CONTRACT §8. Every message is keyed by dispute id (payments by payment id). */
export const Topics = {
  payments: 'wallet.payments.v1',
  intake: 'disputes.intake.v1',
  investigation: 'disputes.investigation.v1',
  refund: 'disputes.refund.v1',
  notification: 'disputes.notification.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Where a consumer group parks a message it could not process after its retries (CONTRACT §8). */
export function deadLetterTopic(topic: string, consumerGroup: string): string {
  return `${topic}.dlq.${consumerGroup}`;
}

/** Consumer groups, one per service; a group seen for the first time starts from the earliest offset. */
export const ConsumerGroups = {
  intake: 'intake',
  investigation: 'investigation',
  refund: 'refund',
  notification: 'notification',
} as const;
