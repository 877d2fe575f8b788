export * from './den-types.js';
export * from './den-store.js';
export * from './den-migrations.js';
export * from './sqlite-den-store.js';
export * from './den-tracker.js';
export * from './den-locator.js';
export * from './den-service.js';
export * from './den-export.js';
