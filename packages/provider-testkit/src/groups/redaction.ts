/**
 * Group `redaction`: no error carries a secret value, in its message, its JSON or its
 * stack. It checks every error the other groups saw, plus errors it provokes itself.
 */
import type { Harness } from '../harness.js';
import { values } from '../harness.js';
import { check } from './assert.js';

export function redactionGroup(h: Harness): void {
  h.it('redaction', 'puts no fixture value into any error message, JSON or stack', async () => {
    const fixtures = await h.fixtures();
    await provokeErrors(h);
    const secrets = values(fixtures);
    check(h.errors.length > 0, 'the suite produced no errors to check');
    h.errors.forEach((error, index) => {
      for (const [part, text] of renderings(error)) {
        for (const value of secrets) {
          // Name the error, never the value.
          check(!text.includes(value), `error #${index + 1} (${describe(error)}) contains a fixture value in its ${part}`);
        }
      }
    });
  });
}

async function provokeErrors(h: Harness): Promise<void> {
  const fixtures = await h.fixtures();
  const provider = await h.provider();
  const session = await h.options.createSession(provider);
  for (const { fields } of fixtures.invalid) await h.caught(() => provider.parseLink(fields));
  await h.caught(() => h.fetch(provider, [provider.parseLink(fixtures.missing.fields)], session));
  await h.caught(() =>
    provider.describe(provider.parseLink(fixtures.missing.fields), session, { signal: new AbortController().signal, timeoutMs: 30_000 }),
  );
  if (fixtures.denied) await h.caught(() => h.fetch(provider, [provider.parseLink(fixtures.denied!.fields)], fixtures.denied!.session));
  if (h.options.expiredSession) {
    const expired = await h.options.expiredSession(provider);
    await h.caught(() =>
      h.fetch(
        provider,
        [provider.parseLink(fixtures.latest.fields), ...fixtures.sameDocument.map((f) => provider.parseLink(f.fields))],
        expired,
      ),
    );
  }
  const aborted = new AbortController();
  aborted.abort();
  await h.caught(() => h.fetch(provider, [provider.parseLink(fixtures.latest.fields)], session, aborted.signal));
}

function renderings(error: unknown): Array<[string, string]> {
  if (!(error instanceof Error)) return [['value', safeString(error)]];
  const toJSON = (error as Error & { toJSON?: () => unknown }).toJSON;
  const json = typeof toJSON === 'function' ? JSON.stringify(toJSON.call(error)) : '';
  return [
    ['message', error.message],
    ['JSON', `${json}${JSON.stringify(error)}`],
    ['stack', error.stack ?? ''],
    ['string form', String(error)],
    ['cause', causeMessages(error)],
  ];
}

function causeMessages(error: Error): string {
  const parts: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 5 && cause !== undefined; depth++) {
    parts.push(cause instanceof Error ? cause.message : safeString(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join('\n');
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}${(error as { code?: string }).code ? ` ${(error as { code?: string }).code}` : ''}`;
  return typeof error;
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // circular values: the string form is all we can check
  }
}
