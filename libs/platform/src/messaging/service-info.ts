import { Topic } from '@recourse/contracts';

/** What the platform needs to know about the service it runs in. */
export interface ServiceInfo {
  /** Service name; also its Postgres schema. */
  name: string;
  /** Its Kafka consumer group: the name unless KAFKA_GROUP_ID says otherwise. */
  groupId: string;
  /**
   * Topics the service consumes, derived from its handlers (consumedTopics); their dead-letter topics are
   * created for its group.
   */
  consumes: Topic[];
}

export const SERVICE_INFO = Symbol('SERVICE_INFO');
