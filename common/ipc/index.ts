export * from './result';
export * from './result-schema';
export * from './channels';
export * from './portal-api';
export * from './bridge-protocol';
export * from './import-channels';
export * from './language-channels';
export * from './employee-cache-channels';
