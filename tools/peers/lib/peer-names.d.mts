export declare const ALL_PEERS: readonly ['openbao', 'moto', 'moto-auth', 'lowkey'];
export declare function parsePeerList(text: string | undefined): string[];
export declare function unavailableEnvName(peer: string): string;
