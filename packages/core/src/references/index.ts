export * from './parse.js';
export * from './walk.js';
