export * from './result';
export * from './channels';
export * from './portal-api';
export * from './bridge-protocol';
export * from './import-channels';
