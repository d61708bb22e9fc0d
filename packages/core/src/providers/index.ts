export * from './memory/index.js';
export {
  loadProvider,
  checkProviderShape,
  providerPackageName,
  installCommand,
  defaultResolveDirs,
  FIRST_PARTY_PROVIDERS,
  BUILTIN_PROVIDERS,
  PROVIDER_ALIASES,
  canonicalProviderId,
  knownProvidersText,
  type LoadProviderOptions,
} from './loader.js';
