export * from './tracing-env';
export * from './sdk';
export * from './kafka-propagation';
