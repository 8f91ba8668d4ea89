export * from './lib/rostering-v1p2.module';
export * from './lib/rostering-v1p2.controllers';
export * from './lib/openapi-v1p2';
export * from './lib/v1p2-query';
export { ROSTERING_BINDINGS } from './lib/bindings';
export * from './lib/gradebook-v1p2.controllers';
export { GRADEBOOK_BINDINGS, RESOURCES_BINDINGS } from './lib/bindings';
