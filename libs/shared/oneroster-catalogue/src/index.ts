export * from './lib/model';
export * from './lib/catalogue';
export * from './lib/derive';
export * from './lib/catalogue-v1p2';
export * from './lib/map-v1p2';
export * from './lib/routes-v1p2';
export * from './lib/derive-v1p2';
export * from './lib/csv-v1p2';
