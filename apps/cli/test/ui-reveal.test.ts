/**
 * Issue 15, secrets table: only local values get a Reveal action. Linked secrets (enabled or
 * disabled) show "linked" and no Reveal button, and nothing in their row carries a value; their
 * value is shown only from the details screen after Retrieve (ui.int.test.ts). Debian's Chromium
 * on the page the agent serves, with the memory provider (no peer needed).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './helpers/chromium.js';
import { ok } from './helpers/leaks.js';
import { createSandbox, uniqueValue, type Sandbox } from './helpers/sandbox.js';

const values = { local: uniqueValue('reveal-local'), linked: uniqueValue('reveal-linked'), off: uniqueValue('reveal-off') };

let sandbox: Sandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sandbox = await createSandbox({
    documents: { 'team/app': { versions: [{ token: values.linked }] }, 'team/off': { versions: [values.off] } },
  });
  ok(await sandbox.run(['set', 'local_key', '--stdin'], { input: values.local }));
  ok(await sandbox.run(['connect', 'memory']));
  ok(await sandbox.run(['link', 'linked_key', '--provider', 'memory', '--path', 'team/app', '--key', 'token']));
  ok(await sandbox.run(['link', 'disabled_link', '--provider', 'memory', '--path', 'team/off']));
  ok(await sandbox.run(['disable', 'disabled_link']));
  expect(ok(await sandbox.run(['get', 'linked_key'])).stdout).toBe(values.linked); // the link works: no Reveal is a choice, not a failure
  const url = /^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.exec(ok(await sandbox.run(['ui', '--no-browser'])).stderr)?.[0];
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  expect((await page.goto(url!))!.status()).toBe(200);
  await page.getByRole('heading', { name: 'Vault secrets' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.run(['agent', 'stop']);
  await sandbox?.cleanup();
});

const row = (name: string) => page.locator(`tr[data-secret="${name}"]`);

describe('the secrets table reveals local values only', () => {
  it('a local row has Reveal; linked rows, enabled or disabled, have none and hold no value', async () => {
    await row('disabled_link').waitFor();
    await screenshot(page, 'ui-reveal', 'table');
    expect(
      await row('local_key')
        .getByRole('button', { name: /^Reveal/ })
        .count(),
    ).toBe(1);
    for (const name of ['linked_key', 'disabled_link']) {
      expect(
        await row(name)
          .getByRole('button', { name: /Reveal/ })
          .count(),
        name,
      ).toBe(0);
      expect(await row(name).locator('td').first().textContent(), name).toBe('linked');
      expect(await row(name).getByRole('button').allTextContents(), name).toEqual([
        'Edit',
        'Relink',
        'Rename',
        expect.stringMatching(/^(Disable|Enable)$/),
        'Delete',
      ]);
    }
    expect(await page.getByRole('button', { name: /Reveal/ }).count()).toBe(1);
    expect(await page.content()).not.toContain(values.linked);
  });

  it('Reveal shows the local value on purpose; the page then still holds no linked value', async () => {
    await row('local_key').getByRole('button', { name: 'Reveal the value of local_key' }).click();
    await expect.poll(() => page.getByTestId('revealed-local_key').textContent()).toBe(values.local);
    const html = await page.content();
    expect(html).not.toContain(values.linked);
    expect(html).not.toContain(values.off);
  });
});
