import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePeerList } from '../lib/peer-names.mjs';
import { peersSkipped, requirePeer } from '../require-peer.mjs';

afterEach(() => vi.restoreAllMocks());

describe('requirePeer', () => {
  it('returns the peer env under readable names', () => {
    const env = { PEER_OPENBAO_ADDR: 'http://127.0.0.1:1', PEER_OPENBAO_ROOT_TOKEN: 'root' };
    expect(requirePeer('openbao', env)).toEqual({ addr: 'http://127.0.0.1:1', rootToken: 'root', auditLog: undefined });
  });

  it('defaults the moto region to us-east-1', () => {
    expect(requirePeer('moto', { PEER_MOTO_ENDPOINT: 'http://127.0.0.1:2' })).toEqual({
      endpoint: 'http://127.0.0.1:2',
      region: 'us-east-1',
    });
  });

  it('throws naming every missing variable and how to run the tests', () => {
    const call = () => requirePeer('moto-auth', { PEER_MOTO_AUTH_ENDPOINT: 'http://127.0.0.1:3' });
    expect(call).toThrow(/PEER_MOTO_ADMIN_ACCESS_KEY_ID, PEER_MOTO_ADMIN_SECRET_ACCESS_KEY are not set/);
    expect(call).toThrow(/with-peers\.mjs/);
    expect(call).toThrow(/pnpm test/);
  });

  it('throws for lowkey without NODE_EXTRA_CA_CERTS: TLS is never trusted blindly', () => {
    expect(() => requirePeer('lowkey', { PEER_LOWKEY_URL: 'https://localhost:1', PEER_LOWKEY_TOKEN_URL: 'http://localhost:2' })).toThrow(
      /NODE_EXTRA_CA_CERTS/,
    );
  });

  it('with VAULTLINK_SKIP_PEERS=1 returns null and says so loudly', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(requirePeer('openbao', { VAULTLINK_SKIP_PEERS: '1' })).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SKIPPING integration tests that need 'openbao'.*VAULTLINK_SKIP_PEERS=1/));
    expect(peersSkipped({ VAULTLINK_SKIP_PEERS: '1' })).toBe(true);
  });

  it('never skips a peer because an old harness called it unobtainable: only VAULTLINK_SKIP_PEERS=1 skips', () => {
    expect(() => requirePeer('lowkey', { PEER_LOWKEY_UNAVAILABLE: 'Maven Central does not serve the jar' })).toThrow(/not available/);
  });

  it('does not treat other values of VAULTLINK_SKIP_PEERS as a skip', () => {
    expect(() => requirePeer('openbao', { VAULTLINK_SKIP_PEERS: 'true' })).toThrow(/not available/);
    expect(peersSkipped({ VAULTLINK_SKIP_PEERS: 'yes' })).toBe(false);
  });

  it('rejects unknown peer names', () => {
    expect(() => requirePeer('vault' as never, {})).toThrow(/unknown peer 'vault'/);
  });
});

describe('parsePeerList', () => {
  it('defaults to every peer and rejects unknown names', () => {
    expect(parsePeerList(undefined)).toEqual(['openbao', 'moto', 'moto-auth', 'lowkey']);
    expect(parsePeerList('moto, openbao,moto')).toEqual(['moto', 'openbao']);
    expect(() => parsePeerList('openbao,azure')).toThrow(/unknown peer\(s\): azure/);
  });
});
