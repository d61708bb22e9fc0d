import { createMemoryStore, Vault, type ProviderIO, type VaultOptions } from '../src/index.js';
import { createMemoryProvider, type MemoryProvider, type MemoryProviderOptions } from '../src/testing.js';

export function testIO(env: Record<string, string | undefined> = {}): ProviderIO & { messages: string[] } {
  const messages: string[] = [];
  return {
    interactive: false,
    env,
    messages,
    prompt: async () => {
      throw new Error('no prompts in tests');
    },
    openBrowser: async (url) => void messages.push(`browser ${url}`),
    info: (m) => void messages.push(`info ${m}`),
    warn: (m) => void messages.push(`warn ${m}`),
    progress: (m) => void messages.push(`progress ${m}`),
  };
}

export const DOCS = {
  'team/payments': {
    versions: [
      { api_key: 'pay-key-old-1111', webhook: 'whsec-old-2222' },
      { api_key: 'pay-key-new-3333', webhook: 'whsec-new-4444' },
    ],
  },
  'team/search': 'search-token-5555',
  'restricted/hr': { versions: ['hr-secret-6666'], deniedPrincipals: ['demo-user'] },
};

export function setup(options: { memory?: MemoryProviderOptions; vault?: Partial<VaultOptions> } = {}): {
  vault: Vault;
  memory: MemoryProvider;
  store: ReturnType<typeof createMemoryStore>;
} {
  const memory = createMemoryProvider({ documents: DOCS, ...options.memory });
  const store = createMemoryStore();
  const vault = new Vault({ store, providers: [memory], ...options.vault });
  return { vault, memory, store };
}
