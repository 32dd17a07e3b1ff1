export * from './employee';
export * from './auth';
export * from './errors';
export * from './verification';
export * from './idempotency';
export * from './employee-lookup';
