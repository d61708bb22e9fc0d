// The peers the harness knows, the env variables each one exports, and parsing of a "--peers=a,b" list.
export const ALL_PEERS = Object.freeze(['openbao', 'moto', 'moto-auth', 'lowkey']);

/** Parses "openbao,moto" (or undefined = all). Unknown names are an error, never ignored. */
export function parsePeerList(text) {
  if (!text) return [...ALL_PEERS];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !ALL_PEERS.includes(n));
  if (unknown.length) throw new Error(`[peers] unknown peer(s): ${unknown.join(', ')}; known: ${ALL_PEERS.join(', ')}`);
  return [...new Set(names)];
}

/** Env variables each peer provides, by requirePeer field (the contract in tools/peers/README.md). */
export const PEER_ENV = Object.freeze({
  openbao: { addr: 'PEER_OPENBAO_ADDR', rootToken: 'PEER_OPENBAO_ROOT_TOKEN', auditLog: 'PEER_OPENBAO_AUDIT_LOG' },
  moto: { endpoint: 'PEER_MOTO_ENDPOINT', region: 'PEER_MOTO_REGION' },
  'moto-auth': {
    endpoint: 'PEER_MOTO_AUTH_ENDPOINT',
    adminAccessKeyId: 'PEER_MOTO_ADMIN_ACCESS_KEY_ID',
    adminSecretAccessKey: 'PEER_MOTO_ADMIN_SECRET_ACCESS_KEY',
    region: 'PEER_MOTO_REGION',
  },
  lowkey: {
    url: 'PEER_LOWKEY_URL',
    secondUrl: 'PEER_LOWKEY_SECOND_URL',
    tokenUrl: 'PEER_LOWKEY_TOKEN_URL',
    caFile: 'NODE_EXTRA_CA_CERTS',
  },
});

/** Fields a peer may lack without being unusable (defaults apply). */
export const OPTIONAL_PEER_FIELDS = Object.freeze(new Set(['region', 'secondUrl', 'auditLog']));

/** The env variables `peer` must have for a test to use it (and for reuse checks). */
export function requiredPeerEnv(peer) {
  return Object.entries(PEER_ENV[peer])
    .filter(([field]) => !OPTIONAL_PEER_FIELDS.has(field))
    .map(([, key]) => key);
}
