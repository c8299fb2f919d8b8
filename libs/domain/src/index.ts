export * from './deadlines';
export * from './triage';
export * from './ledger';
export * from './audit-chain';
export * from './dispute-status';
export * from './money-format';
export * from './risk';
export * from './case-machine';
