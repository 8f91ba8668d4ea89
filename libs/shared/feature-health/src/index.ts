export * from './lib/health.module';
export * from './lib/service-info';
export * from './lib/swagger';
export * from './lib/app-logger';
