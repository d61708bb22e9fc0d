// Seeding helpers for the OpenBao peer, over its HTTP API (the harness needs no client library).
//   const bao = openBaoSeeder(requirePeer('openbao'));
//   await bao.kvPut('secret', 'app/db', { password: 'x' });           // KV v2 (dev mode's secret/)
//   await bao.kvPutVersions('secret', 'app/db', [{ v: 1 }, { v: 2 }]); // -> [1, 2]
//   await bao.kvPut('kv1', 'app/db', { password: 'x' }, { kvVersion: 1 });
import fs from 'node:fs';

export class OpenBaoSeedError extends Error {
  constructor(method, path, status, body) {
    // Errors from OpenBao never echo request bodies, so the message carries no secret value.
    super(`OpenBao ${method} ${path} failed: HTTP ${status} ${body}`);
    this.name = 'OpenBaoSeedError';
    this.status = status;
  }
}

/**
 * @param {{ addr: string, rootToken: string }} peer  from requirePeer('openbao')
 * @param {{ token?: string, namespace?: string }} [options]  act as another token / inside a namespace
 */
export function openBaoSeeder(peer, { token = peer.rootToken, namespace } = {}) {
  async function request(method, path, body, { as = token, ns = namespace, allow404 = false } = {}) {
    const headers = { 'X-Vault-Token': as };
    if (ns) headers['X-Vault-Namespace'] = ns;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${peer.addr}/v1/${path.replace(/^\/+/, '')}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 404 && allow404) return null;
    const text = await res.text();
    if (!res.ok) throw new OpenBaoSeedError(method, path, res.status, text.slice(0, 500));
    return text ? JSON.parse(text) : null;
  }

  const seeder = {
    peer,
    namespace,
    request,
    /** Same seeder acting as another token or in another namespace. */
    with(options) {
      return openBaoSeeder(peer, { token, namespace, ...options });
    },

    /** Mounts a secrets engine: mount('kv-b', 'kv', { version: '2' }), mount('transit', 'transit'). */
    async mount(path, type, options) {
      await request('POST', `sys/mounts/${path}`, { type, ...(options ? { options } : {}) });
    },
    async unmount(path) {
      await request('DELETE', `sys/mounts/${path}`);
    },

    /**
     * Writes one secret. kvVersion 2 (default) returns the new version number; KV v1 has no versions
     * and returns undefined. `cas` is passed through for KV v2 check-and-set.
     */
    async kvPut(mount, path, data, { kvVersion = 2, cas } = {}) {
      if (kvVersion === 1) {
        await request('POST', `${mount}/${path}`, data);
        return undefined;
      }
      const res = await request('POST', `${mount}/data/${path}`, { data, ...(cas === undefined ? {} : { options: { cas } }) });
      return res.data.version;
    },
    /** Writes several KV v2 versions in order; returns their version numbers. */
    async kvPutVersions(mount, path, datas) {
      const versions = [];
      for (const data of datas) versions.push(await seeder.kvPut(mount, path, data));
      return versions;
    },
    /** Soft-deletes KV v2 versions (they read as deleted, can be undeleted). */
    async kvDeleteVersions(mount, path, versions) {
      await request('POST', `${mount}/delete/${path}`, { versions });
    },
    /** Permanently destroys KV v2 versions. */
    async kvDestroyVersions(mount, path, versions) {
      await request('PUT', `${mount}/destroy/${path}`, { versions });
    },
    /** Deletes a KV v2 secret with all its versions and metadata, or a KV v1 secret. */
    async kvDeleteAll(mount, path, { kvVersion = 2 } = {}) {
      await request('DELETE', kvVersion === 1 ? `${mount}/${path}` : `${mount}/metadata/${path}`);
    },

    /** Writes an ACL policy (HCL text). */
    async writePolicy(name, hcl) {
      await request('PUT', `sys/policies/acl/${name}`, { policy: hcl });
    },

    /** Enables userpass at `path` (idempotent). */
    async enableUserpass(path = 'userpass') {
      const auths = await request('GET', 'sys/auth');
      if (auths.data?.[`${path}/`] ?? auths[`${path}/`]) return;
      await request('POST', `sys/auth/${path}`, { type: 'userpass' });
    },
    async createUser(username, password, { policies = [], path = 'userpass', tokenTtl } = {}) {
      await request('POST', `auth/${path}/users/${username}`, {
        password,
        token_policies: policies,
        ...(tokenTtl ? { token_ttl: tokenTtl } : {}),
      });
    },
    /** Logs in; the first login creates the user's identity entity. Returns token, entityId, policies. */
    async login(username, password, { path = 'userpass' } = {}) {
      const res = await request('POST', `auth/${path}/login/${username}`, { password }, { as: '' });
      return { token: res.auth.client_token, entityId: res.auth.entity_id, accessor: res.auth.accessor, policies: res.auth.policies };
    },

    /** Creates a token (child of the acting token). ttl like '1h' or '30s'. */
    async createToken({ policies, ttl, noDefaultPolicy = false, renewable = true, displayName } = {}) {
      const res = await request('POST', 'auth/token/create', {
        ...(policies ? { policies } : {}),
        ...(ttl ? { ttl } : {}),
        no_default_policy: noDefaultPolicy,
        renewable,
        ...(displayName ? { display_name: displayName } : {}),
      });
      return { token: res.auth.client_token, accessor: res.auth.accessor, leaseDuration: res.auth.lease_duration };
    },
    async revokeToken(tokenToRevoke) {
      await request('POST', 'auth/token/revoke', { token: tokenToRevoke });
    },

    /** Creates a namespace (OpenBao >= 2.3) under the current one; returns a seeder acting inside it. */
    async createNamespace(name) {
      await request('POST', `sys/namespaces/${name}`, {});
      return seeder.with({ namespace: namespace ? `${namespace}/${name}` : name });
    },
    async deleteNamespace(name) {
      await request('DELETE', `sys/namespaces/${name}`);
    },
  };
  return seeder;
}

/**
 * Counts audit-log responses in the harness's audit file (requirePeer('openbao').auditLog; OpenBao only
 * allows audit devices declared in its config, so the harness declares one) for a request path (e.g. 'secret/data/app'), optionally by operation.
 * Each request logs a 'request' and a 'response' entry; only responses are counted.
 */
export function countAuditRequests(file, { path, operation, namespace } = {}) {
  if (!fs.existsSync(file)) return 0;
  let count = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const entry = JSON.parse(line);
    if (entry.type !== 'response') continue;
    if (path && entry.request?.path !== path) continue;
    if (operation && entry.request?.operation !== operation) continue;
    if (namespace !== undefined && (entry.request?.namespace?.path ?? '') !== namespace) continue;
    count++;
  }
  return count;
}
