export * from './memory/index.js';
export {
  loadProvider,
  checkProviderShape,
  providerPackageName,
  installCommand,
  defaultResolveDirs,
  FIRST_PARTY_PROVIDERS,
  BUILTIN_PROVIDERS,
  type LoadProviderOptions,
} from './loader.js';
