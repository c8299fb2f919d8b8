import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { recordRejection } from './record-rejection';

const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code, retriable, message: `${type} from the broker` } as unknown as Error);

describe('recordRejection', () => {
  it('finds a refused record inside kafkajs\'s non-retriable wrapper', () => {
    // As kafkajs's retrier wraps what it may not retry: the protocol error is the cause.
    const refused = protocolError('MESSAGE_TOO_LARGE', 10, false);
    const wrapped = Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused });
    expect(recordRejection(wrapped)).toMatchObject({ code: 'MESSAGE_TOO_LARGE', message: 'MESSAGE_TOO_LARGE from the broker' });
    expect(recordRejection(protocolError('INVALID_RECORD', 87, false))).toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('leaves retriable errors and non-retriable errors about every record alone', () => {
    expect(recordRejection(new KafkaJSNumberOfRetriesExceeded(protocolError('NOT_LEADER_FOR_PARTITION', 6, true), { retryCount: 0, retryTime: 0 }))).toBeNull();
    expect(recordRejection(new KafkaJSNonRetriableError(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false)))).toBeNull();
    expect(recordRejection(new Error('Connection error: ECONNREFUSED'))).toBeNull();
    expect(recordRejection(undefined)).toBeNull();
  });
});
