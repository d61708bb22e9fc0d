import type { OpenBaoPeer } from '../require-peer.mjs';

export declare class OpenBaoSeedError extends Error {
  readonly status: number;
}

export interface OpenBaoSeederOptions {
  /** Act as this token instead of the root token. */
  token?: string;
  /** Send X-Vault-Namespace with every request. */
  namespace?: string;
}

export interface OpenBaoSeeder {
  readonly peer: OpenBaoPeer;
  readonly namespace: string | undefined;
  /** Raw API call: path relative to /v1/. Throws OpenBaoSeedError on non-2xx (null for 404 with allow404). */
  request(method: string, path: string, body?: unknown, options?: { as?: string; ns?: string; allow404?: boolean }): Promise<any>;
  with(options: OpenBaoSeederOptions): OpenBaoSeeder;
  mount(path: string, type: string, options?: Record<string, string>): Promise<void>;
  unmount(path: string): Promise<void>;
  /** KV v2 (default): returns the new version. KV v1: returns undefined. */
  kvPut(
    mount: string,
    path: string,
    data: Record<string, unknown>,
    options?: { kvVersion?: 1 | 2; cas?: number },
  ): Promise<number | undefined>;
  kvPutVersions(mount: string, path: string, datas: Record<string, unknown>[]): Promise<number[]>;
  kvDeleteVersions(mount: string, path: string, versions: number[]): Promise<void>;
  kvDestroyVersions(mount: string, path: string, versions: number[]): Promise<void>;
  kvDeleteAll(mount: string, path: string, options?: { kvVersion?: 1 | 2 }): Promise<void>;
  writePolicy(name: string, hcl: string): Promise<void>;
  enableUserpass(path?: string): Promise<void>;
  createUser(username: string, password: string, options?: { policies?: string[]; path?: string; tokenTtl?: string }): Promise<void>;
  /** The first login creates the identity entity (entityId). */
  login(
    username: string,
    password: string,
    options?: { path?: string },
  ): Promise<{ token: string; entityId: string; accessor: string; policies: string[] }>;
  createToken(options?: {
    policies?: string[];
    ttl?: string;
    noDefaultPolicy?: boolean;
    renewable?: boolean;
    displayName?: string;
  }): Promise<{ token: string; accessor: string; leaseDuration: number }>;
  revokeToken(token: string): Promise<void>;
  /** Creates a child namespace and returns a seeder acting inside it. */
  createNamespace(name: string): Promise<OpenBaoSeeder>;
  deleteNamespace(name: string): Promise<void>;
}

export declare function openBaoSeeder(peer: OpenBaoPeer, options?: OpenBaoSeederOptions): OpenBaoSeeder;

/** Counts 'response' entries in the harness audit log (peer.auditLog), filtered by request path / operation / namespace path (e.g. 'team-a/'). */
export declare function countAuditRequests(file: string, filter?: { path?: string; operation?: string; namespace?: string }): number;
