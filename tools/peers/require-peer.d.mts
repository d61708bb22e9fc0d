export type PeerName = 'openbao' | 'moto' | 'moto-auth' | 'lowkey';

export interface OpenBaoPeer {
  /** http://127.0.0.1:PORT (PEER_OPENBAO_ADDR) */
  addr: string;
  /** dev-mode root token (PEER_OPENBAO_ROOT_TOKEN) */
  rootToken: string;
  /** JSON-lines file audit log of this server (PEER_OPENBAO_AUDIT_LOG); see countAuditRequests */
  auditLog: string | undefined;
}
export interface MotoPeer {
  /** moto with auth NOT enforced (PEER_MOTO_ENDPOINT) */
  endpoint: string;
  /** PEER_MOTO_REGION, default us-east-1 */
  region: string;
}
export interface MotoAuthPeer {
  /** moto with SigV4 + IAM policies enforced (PEER_MOTO_AUTH_ENDPOINT) */
  endpoint: string;
  /** admin IAM user's key with an allow-all policy, for seeding (PEER_MOTO_ADMIN_ACCESS_KEY_ID) */
  adminAccessKeyId: string;
  adminSecretAccessKey: string;
  region: string;
}
export interface LowkeyPeer {
  /** https://localhost:PORT, the default vault (PEER_LOWKEY_URL) */
  url: string;
  /** https://127.0.0.1:PORT, a second, separate vault on the same server (PEER_LOWKEY_SECOND_URL) */
  secondUrl: string | undefined;
  /** http://localhost:PORT: managed-identity token endpoint and certificate (PEER_LOWKEY_TOKEN_URL) */
  tokenUrl: string;
  /** PEM bundle that makes Node trust Lowkey's certificate (NODE_EXTRA_CA_CERTS) */
  caFile: string;
}
export interface PeerEnvByName {
  openbao: OpenBaoPeer;
  moto: MotoPeer;
  'moto-auth': MotoAuthPeer;
  lowkey: LowkeyPeer;
}

/**
 * The env of a running test peer. Throws an Error naming the missing variables and the fix when the
 * peer is not there; returns null (after a loud skip line) only when VAULTLINK_SKIP_PEERS=1.
 */
export function requirePeer<N extends PeerName>(name: N, env?: NodeJS.ProcessEnv): PeerEnvByName[N] | null;

/** True when VAULTLINK_SKIP_PEERS=1. */
export function peersSkipped(env?: NodeJS.ProcessEnv): boolean;
