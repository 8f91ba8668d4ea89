export * from './lib/model';
export * from './lib/catalogue';
export * from './lib/derive';
