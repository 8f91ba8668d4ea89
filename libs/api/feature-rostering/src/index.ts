export * from './lib/dto';
export * from './lib/collection';
export * from './lib/rostering.service';
export * from './lib/rostering.controllers';
export * from './lib/rostering.module';
export * from './lib/error-examples';
