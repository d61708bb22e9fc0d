/**
 * A small in-memory Key Vault data plane on nock: secrets with versions, the 401 challenge,
 * 403 for applications without a role, 404 SecretNotFound and Key Vault's disabled answer.
 * It only stands in where Lowkey Vault cannot run (its jar is not installable on every machine);
 * the same conformance suite runs against Lowkey in test/integration/.
 */
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { challengeHeaders } from './keyvault-stub.js';

interface Version {
  id: string;
  value: string;
  enabled: boolean;
  created: number;
}

export interface MemoryKeyVault {
  vaultUrl: string;
  /** Application (client) IDs whose tokens get 403. */
  deniedApps: Set<string>;
  /** GET /secrets/... requests that carried a token. */
  reads: number;
  set(name: string, value: string): string;
  disable(name: string, version: string): void;
}

export function memoryKeyVault(vaultUrl: string): MemoryKeyVault {
  const secrets = new Map<string, Version[]>();
  const vault: MemoryKeyVault = {
    vaultUrl,
    deniedApps: new Set(),
    reads: 0,
    set(name, value) {
      const id = randomBytes(16).toString('hex');
      const list = secrets.get(name.toLowerCase()) ?? [];
      list.push({ id, value, enabled: true, created: Math.floor(Date.now() / 1000) + list.length });
      secrets.set(name.toLowerCase(), list);
      return id;
    },
    disable(name, version) {
      const found = secrets.get(name.toLowerCase())?.find((v) => v.id === version);
      if (found) found.enabled = false;
    },
  };

  const error = (status: number, code: string, message: string) => [status, { error: { code, message } }] as const;
  nock(vaultUrl)
    .persist()
    .get(/^\/secrets\/[^/]+(\/[^/]*)?\/?$/)
    .query(true)
    .reply(function (uri) {
      const auth = this.req.headers.authorization as string | undefined;
      if (!auth) return [401, '', challengeHeaders()];
      vault.reads += 1;
      const claims = JSON.parse(Buffer.from(auth.replace(/^Bearer /, '').split('.')[1] ?? '', 'base64url').toString() || '{}') as {
        appid?: string;
      };
      if (claims.appid && vault.deniedApps.has(claims.appid)) {
        return error(
          403,
          'Forbidden',
          `The user, group or application 'appid=${claims.appid}' does not have secrets get permission on key vault.`,
        );
      }
      const [, , name = '', version = ''] = new URL(uri, vaultUrl).pathname.split('/');
      const versions = secrets.get(name.toLowerCase());
      const found = version ? versions?.find((v) => v.id === version) : versions?.at(-1);
      if (!found) return error(404, 'SecretNotFound', `A secret with (name/id) ${name}/${version} was not found in this key vault.`);
      if (!found.enabled) return error(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.');
      return [
        200,
        {
          value: found.value,
          id: `${vaultUrl}/secrets/${name}/${found.id}`,
          attributes: { enabled: true, created: found.created, updated: found.created, recoveryLevel: 'Recoverable+Purgeable' },
        },
      ];
    });
  return vault;
}
