export * from './lib/platform-settings';
export * from './lib/platform.module';
export * from './lib/mount-platform';
export * from './lib/platform-exception.filter';
