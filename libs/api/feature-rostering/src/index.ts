export * from './lib/rostering.controllers';
export * from './lib/rostering.module';
