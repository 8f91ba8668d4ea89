export * from './base.dto';
export * from './rostering.dto';
export * from './gradebook.dto';
export * from './resources.dto';
export * from './status.dto';
export * from './envelopes.dto';
