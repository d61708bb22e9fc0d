// The peers the harness knows, and parsing of a "--peers=a,b" style list.
export const ALL_PEERS = Object.freeze(['openbao', 'moto', 'moto-auth', 'lowkey']);

/** Parses "openbao,moto" (or undefined = all). Unknown names are an error, never ignored. */
export function parsePeerList(text) {
  if (!text) return [...ALL_PEERS];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !ALL_PEERS.includes(n));
  if (unknown.length) throw new Error(`[peers] unknown peer(s): ${unknown.join(', ')}; known: ${ALL_PEERS.join(', ')}`);
  return [...new Set(names)];
}

/** Env variable that carries why a peer could not be had here (the registry refused its artifact). */
export function unavailableEnvName(peer) {
  return `PEER_${peer.toUpperCase().replace(/-/g, '_')}_UNAVAILABLE`;
}
