export * from './errors.js';
export * from './contract.js';
export * from './model.js';
export * from './vault-api.js';
