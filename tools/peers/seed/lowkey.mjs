// Seeding helpers for the Lowkey Vault peer, through @azure/keyvault-secrets (loaded lazily).
//   const kv = lowkeySeeder(requirePeer('lowkey'));                 // default vault (PEER_LOWKEY_URL)
//   const other = lowkeySeeder(peer, { vaultUrl: peer.secondUrl }); // the second vault
//   const [v1, v2] = await kv.setSecretVersions('db-password', ['one', 'two']);
//   await kv.disableSecret('db-password', v2);
// TLS is verified through NODE_EXTRA_CA_CERTS (set by the harness). Lowkey requires a bearer token
// but does not validate it, so seeding uses a fixed one; the smoke test proves the managed-identity path.

/** A TokenCredential for seeding only: Lowkey checks that a token is present, not what it says. */
export const seedingCredential = Object.freeze({
  async getToken() {
    return { token: 'vaultlink-lowkey-seeding', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
});

/**
 * @param {{ url: string }} peer  from requirePeer('lowkey')
 * @param {{ vaultUrl?: string, credential?: object, serviceVersion?: string }} [options]
 */
export function lowkeySeeder(peer, { vaultUrl = peer.url, credential = seedingCredential, serviceVersion } = {}) {
  let client;
  const secrets = async () => {
    if (!client) {
      const { SecretClient } = await import('@azure/keyvault-secrets');
      client = new SecretClient(vaultUrl, credential, {
        // Lowkey's challenge names its own host as resource, not *.vault.azure.net.
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
        ...(serviceVersion ? { serviceVersion } : {}),
      });
    }
    return client;
  };

  const seeder = {
    vaultUrl,
    client: secrets,
    /** Sets a value as a new version; returns its id and version. */
    async setSecret(name, value, { contentType, tags, enabled, expiresOn, notBefore } = {}) {
      const res = await (await secrets()).setSecret(name, value, { contentType, tags, enabled, expiresOn, notBefore });
      return { id: res.properties.id, version: res.properties.version, name: res.name };
    },
    /** Sets each value in order as a new version; returns the version ids, oldest first. */
    async setSecretVersions(name, values) {
      const versions = [];
      for (const value of values) versions.push((await seeder.setSecret(name, value)).version);
      return versions;
    },
    /** Disables one version (default: the latest). */
    async disableSecret(name, version) {
      const c = await secrets();
      const v = version ?? (await c.getSecret(name)).properties.version;
      await c.updateSecretProperties(name, v, { enabled: false });
      return v;
    },
    async enableSecret(name, version) {
      await (await secrets()).updateSecretProperties(name, version, { enabled: true });
    },
    /** Deletes (soft) and, by default, purges a secret so its name can be reused. */
    async deleteSecret(name, { purge = true } = {}) {
      const c = await secrets();
      const poller = await c.beginDeleteSecret(name, { intervalInMs: 100 });
      await poller.pollUntilDone();
      if (purge) await c.purgeDeletedSecret(name);
    },
  };
  return seeder;
}
