export * from './employee';
export * from './auth';
export * from './errors';
