export * from './geodesic.js';
export * from './local-projection.js';
export * from './shapes.js';
