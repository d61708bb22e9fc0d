/**
 * Links written back as `vaultlink link` flags (link manifests, relink fixes): by default from
 * the link's fields, or by the provider's own `linkFlags` when its links keep other parts.
 */
import { describe, expect, it } from 'vitest';
import { linkFlagsOf, relinkFlags } from '../src/sdk/link-flags.js';
import { JSON_POINTER_FLAG, defineProvider, type FlagSpec } from '../src/provider.js';

const flags = [{ name: 'url', description: 'Secret URL', type: 'string' }, JSON_POINTER_FLAG] as const satisfies readonly FlagSpec[];

/** A provider whose links keep the URL's parts, as Azure keeps the identifier's. */
function urlProvider(linkFlags?: (link: { host: string; name: string }) => Record<string, string>) {
  return defineProvider({
    id: 'acme',
    displayName: 'Acme Vault',
    flags: { link: flags },
    parseLink: (f) => {
      // A missing --url is an issue already, and defineProvider throws INVALID_LINK for it.
      const url = new URL(f.required('url', 'https://HOST/NAME') ?? 'https://missing/');
      return { host: url.host, name: url.pathname.slice(1) };
    },
    ...(linkFlags ? { linkFlags } : {}),
    summarize: (link) => ({ identifier: `https://${link.host}/${link.name}` }),
    authenticate: async () => ({ provider: 'acme', organization: 'o', principal: 'p', expiresAt: null, createdAt: '', data: null }),
    readDocument: async () => 'doc',
    select: () => ({ value: 'v' }),
    describe: async () => ({}),
  });
}

describe('linkFlagsOf', () => {
  it("uses the provider's linkFlags, adds the JSON pointer core keeps, and checks the flags give the same link", () => {
    const provider = urlProvider((link) => ({ url: `https://${link.host}/${link.name}` }));
    const link = provider.parseLink({ url: 'https://a.example/db', jsonPointer: '/x/y' });
    expect(linkFlagsOf(provider, link)).toEqual({ ok: true, flags: { url: 'https://a.example/db', 'json-pointer': '/x/y' } });
    expect(relinkFlags(provider, link)).toEqual({ url: 'https://a.example/db', 'json-pointer': '/x/y' });
  });

  it('without linkFlags, a link whose fields are not its flags is reported, never written wrongly', () => {
    const provider = urlProvider();
    const result = linkFlagsOf(provider, provider.parseLink({ url: 'https://a.example/db' }));
    expect(result).toEqual({ ok: false, problem: 'its field "host" is not the camelCase of a acme link flag' });
  });

  it('reports flags that give another link, flags the provider does not declare, and a linkFlags that throws', () => {
    const link = urlProvider().parseLink({ url: 'https://a.example/db' });
    expect(
      linkFlagsOf(
        urlProvider(() => ({ url: 'https://b.example/db' })),
        link,
      ),
    ).toEqual({ ok: false, problem: 'its flags give the acme provider a different link' });
    expect(
      linkFlagsOf(
        urlProvider(() => ({ url: 'https://a.example/db', region: 'x' })),
        link,
      ),
    ).toEqual({
      ok: false,
      problem: 'the acme provider wrote --region, which is not one of its link flags',
    });
    const throwing = urlProvider(() => {
      throw new Error('no');
    });
    expect(linkFlagsOf(throwing, link)).toEqual({ ok: false, problem: 'the acme provider cannot write this link as flags' });
  });
});
