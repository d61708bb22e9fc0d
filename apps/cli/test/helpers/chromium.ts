/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download cannot reach
 * its host from our machines; `.ci/run` installs the `chromium` package when it is missing).
 * CI runs as root, where Chromium's sandbox cannot start, hence `chromiumSandbox: false`.
 * Screenshots go to test/.artifacts/ (ignored by git).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../.artifacts');

export function chromiumPath(): string {
  const given = process.env.VAULTLINK_CHROMIUM;
  if (given) return given;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    throw new Error(
      'Chromium is not installed: apt-get install -y chromium (or set VAULTLINK_CHROMIUM to a Chromium binary). .ci/run installs it.',
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), chromiumSandbox: false, headless: true });
}

/** Saves a full-page screenshot as test/.artifacts/<folder>/<name>.png. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS, folder);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
