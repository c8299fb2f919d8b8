import { MultipleErrors, NetworkError, ResponseError } from '@platformatic/kafka';
import { findError, recordRejection } from './record-rejection';

const PRODUCE = 0;

/** As the producer fails a send: one error for the send, inside it each broker's answer, inside that each partition's. */
const failedSend = (...partitionErrors: number[]) =>
  new MultipleErrors('Producing messages failed.', [
    new ResponseError(PRODUCE, 9, Object.fromEntries(partitionErrors.map((code, i) => [`/responses/0/partitionResponses/${i}`, [code, null]])), {}),
  ]);

describe('recordRejection', () => {
  it('finds a refused record among the partitions of a broker\'s answer', () => {
    expect(recordRejection(failedSend(10))).toMatchObject({ name: 'RecordRejected', code: 'MESSAGE_TOO_LARGE' });
    expect(recordRejection(failedSend(6, 87))).toMatchObject({ code: 'INVALID_RECORD' });
  });

  it('leaves retriable errors, errors about every record and broken connections alone', () => {
    expect(recordRejection(failedSend(6))).toBeNull(); // NOT_LEADER_OR_FOLLOWER: a leader moved
    expect(recordRejection(failedSend(29))).toBeNull(); // TOPIC_AUTHORIZATION_FAILED
    expect(recordRejection(new MultipleErrors('Producing messages failed.', [new NetworkError('Connection closed')]))).toBeNull();
    expect(recordRejection(new Error('ECONNREFUSED'))).toBeNull();
    expect(recordRejection(undefined)).toBeNull();
  });
});

describe('findError', () => {
  it('walks nested errors, causes and kafkajs\'s originalError, and stops at a depth', () => {
    const inner = Object.assign(new Error('refused'), { code: 'X' });
    expect(findError(new AggregateError([new Error('a'), new Error('b', { cause: inner })]), ({ code }) => code === 'X')).toBe(inner);
    expect(findError({ originalError: inner }, ({ code }) => code === 'X')).toBe(inner);
    let deep: object = inner;
    for (let i = 0; i < 10; i++) deep = { cause: deep };
    expect(findError(deep, ({ code }) => code === 'X')).toBeNull();
  });
});
