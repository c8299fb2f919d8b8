export * from './env';
export * from './tokens';
export * from './kafka';
export * from './wait';
export * from './http';
export * from './service';
export * from './processes';
export * from './database';
