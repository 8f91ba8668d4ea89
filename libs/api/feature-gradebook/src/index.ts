export * from './lib/gradebook.controllers';
export * from './lib/changes.controller';
export * from './lib/gradebook.module';
