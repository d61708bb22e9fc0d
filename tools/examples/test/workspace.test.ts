/** The examples are npm projects of their own: neither the workspace nor the root install may reach into them. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, must } from './integration/outsider.js';

describe('examples/ stays outside the pnpm workspace', () => {
  it('pnpm lists no workspace package under examples/', async () => {
    const { stdout } = await must('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: REPO, env: process.env });
    const paths = (JSON.parse(stdout) as Array<{ path: string }>).map((pkg) => pkg.path);
    expect(paths).toContain(join(REPO, 'packages', 'core')); // the listing itself works
    expect(paths.filter((path) => path.startsWith(join(REPO, 'examples')))).toEqual([]);
  });

  it('the root lockfile has no importer under examples/, so `pnpm install` never installs there', async () => {
    const lock = await readFile(join(REPO, 'pnpm-lock.yaml'), 'utf8');
    const importers = lock.slice(lock.indexOf('\nimporters:\n'), lock.indexOf('\npackages:\n'));
    expect(importers).toMatch(/^ {2}packages\/core:$/m);
    expect(importers).not.toMatch(/^ {2}'?examples\//m);
  });
});
