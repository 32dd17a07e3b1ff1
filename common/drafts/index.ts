export * from './draft';
export * from './limits';
