/** Installs the gated test provider (fixtures/gated-provider.mjs) as a package in `work`/node_modules. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function installGatedProvider(work: string): void {
  const pkg = join(work, 'node_modules', 'vaultlink-provider-gated');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'vaultlink-provider-gated', version: '1.0.0', type: 'module', exports: './index.mjs' }),
  );
  copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'gated-provider.mjs'), join(pkg, 'index.mjs'));
}
