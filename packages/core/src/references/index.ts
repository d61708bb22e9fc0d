export * from './parse.js';
export * from './bytes.js';
export * from './walk.js';
