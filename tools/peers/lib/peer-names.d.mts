export declare const ALL_PEERS: readonly ['openbao', 'moto', 'moto-auth', 'lowkey'];
export declare function parsePeerList(text: string | undefined): string[];
export declare function unavailableEnvName(peer: string): string;
export declare const PEER_ENV: Readonly<Record<'openbao' | 'moto' | 'moto-auth' | 'lowkey', Readonly<Record<string, string>>>>;
export declare const OPTIONAL_PEER_FIELDS: ReadonlySet<string>;
export declare function requiredPeerEnv(peer: string): string[];
