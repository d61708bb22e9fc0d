/**
 * The page's built files (apps/web, built with Vite and copied into this package's
 * `dist/web` at build time: nothing is built when a user installs). They are read once
 * when the UI server starts and served from memory; nothing is fetched from anywhere else,
 * so the UI works offline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VaultError } from '@vault/core';

export interface Asset {
  body: Uint8Array;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** `dist/web` beside this bundle (dist/index.js, dist/daemon.js). */
export function defaultWebRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'web');
}

/** Every file under `root`, keyed by URL path (`/index.html`, `/assets/index-abc.js`). */
export function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    const file = join(root, entry);
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      continue; // a directory
    }
    const type = TYPES[extname(file)];
    if (type) assets.set(`/${relative(root, file).split(sep).join('/')}`, { body, type });
  }
  if (!assets.has('/index.html')) {
    throw new VaultError('INTERNAL', `The vault UI's page is missing from this installation (${join(root, 'index.html')}).`, {
      fix: 'reinstall vaultlink (npm i -g vaultlink); in the repository, run pnpm build',
    });
  }
  return assets;
}
