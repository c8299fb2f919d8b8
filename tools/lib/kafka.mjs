import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { brokers, root } from './env.mjs';

export function brokerAnswers(address = brokers()[0]) {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 1500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const script = join(root, 'tools', 'kafka', 'kafka.sh');

/** Starts the project's own broker unless KAFKA_BROKERS already answers. True when this call started it. */
export async function ensureKafka() {
  // A previous `npm start` may still be stopping its broker (Ctrl-C returns the prompt before it is done):
  // that broker still answers but is about to go, so wait for the stop before asking.
  spawnSync('bash', [script, 'wait'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (await brokerAnswers()) return false;
  const result = spawnSync('bash', [script, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('the Kafka broker did not start (see .kafka/broker.log)');
  return true;
}

export function stopKafka() {
  spawnSync('bash', [script, 'stop'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
