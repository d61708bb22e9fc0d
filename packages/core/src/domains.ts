/**
 * Allowed domains of a secret, with the semantics of Postman's vault `_domains`
 * (postman-runtime 7.56.x turns each entry into the match pattern
 * `<scheme or https>://<host>:*\/*`):
 * - no scheme means https only; `http://` and `https://` name one scheme; `*://` both;
 * - `*.example.com` matches example.com and every subdomain; `*` matches any host;
 * - any port matches;
 * - a URL without a scheme is matched as http, as the runtime does.
 * Two forms Postman accepts but silently never matches as written (a port, which makes
 * the pattern invalid, and a path, which it ignores) are rejected here with INVALID_INPUT,
 * so nobody believes a secret is restricted more tightly than it is.
 */
import { IssueList } from './errors.js';

export type DomainScheme = 'http' | 'https';

export interface DomainPattern {
  /** Normalized text, as stored and as handed to postman-runtime's `_domains`. */
  source: string;
  schemes: DomainScheme[];
  /** Lowercase host, without `*.`; empty for `*` (any host). */
  host: string;
  /** `*.host`: the host and its subdomains. */
  subdomains: boolean;
  anyHost: boolean;
}

export const DOMAIN_EXPECTED =
  'a host such as api.example.com or *.example.com, optionally prefixed by http:// or https:// (no scheme means https), without port or path';

const PATTERN = /^(?:([A-Za-z*][A-Za-z0-9+.*-]*):\/\/)?([^/?#]*)(.*)$/;
const HOST_LABELS = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$/;

type ParseResult = { ok: true; pattern: DomainPattern } | { ok: false; problem: string };

export function parseDomainPattern(input: string): ParseResult {
  const text = input.trim();
  if (text.length === 0) return { ok: false, problem: 'domain is empty' };
  const match = PATTERN.exec(text);
  if (!match) return { ok: false, problem: 'not a domain' };
  const [, scheme, authority = '', rest = ''] = match;
  let schemes: DomainScheme[];
  const lowerScheme = scheme?.toLowerCase();
  if (lowerScheme === undefined || lowerScheme === 'https') schemes = ['https'];
  else if (lowerScheme === 'http') schemes = ['http'];
  else if (lowerScheme === '*') schemes = ['http', 'https'];
  else return { ok: false, problem: `scheme "${scheme}" is not http, https or *` };
  if (rest !== '' && rest !== '/') {
    return { ok: false, problem: 'has a path, query or fragment; Postman ignores paths, so it would match the whole host' };
  }
  if (authority.includes('@')) return { ok: false, problem: 'has user info' };
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  const rawHost = hostPort?.[1] ?? '';
  if (hostPort?.[2] !== undefined) {
    return {
      ok: false,
      problem: 'has a port; ports are not part of a domain (any port matches), and Postman never matches a pattern with one',
    };
  }
  if (rawHost === '*') return { ok: true, pattern: build(schemes, scheme, '', false, true) };
  const subdomains = rawHost.startsWith('*.');
  const host = toAsciiHost((subdomains ? rawHost.slice(2) : rawHost).toLowerCase());
  if (host.includes('*')) return { ok: false, problem: '* is only allowed as a whole host or as a leading "*."' };
  if (host.length === 0) return { ok: false, problem: 'host is empty' };
  if (!(host.startsWith('[') ? /^\[[0-9a-f:.]+\]$/.test(host) : HOST_LABELS.test(host))) {
    return { ok: false, problem: 'host has characters a host name cannot have' };
  }
  return { ok: true, pattern: build(schemes, scheme, host.replace(/\.$/, ''), subdomains, false) };
}

/** Validates and normalizes a list; throws INVALID_INPUT naming every bad entry. */
export function normalizeDomains(domains: readonly string[], field = 'domain'): string[] {
  const issues = new IssueList();
  const normalized: string[] = [];
  domains.forEach((domain, index) => {
    const result = typeof domain === 'string' ? parseDomainPattern(domain) : ({ ok: false, problem: 'not a string' } as const);
    const name = domains.length > 1 ? `${field}[${index}]` : field;
    if (result.ok) {
      if (!normalized.includes(result.pattern.source)) normalized.push(result.pattern.source);
    } else issues.add(`${name} (${JSON.stringify(domain)})`, result.problem, DOMAIN_EXPECTED);
  });
  issues.throwIfAny('INVALID_INPUT', 'Invalid allowed domain.');
  return normalized;
}

/** Parses already-valid patterns; used by matchers. */
export function compileDomains(domains: readonly string[]): DomainPattern[] {
  return normalizeDomains(domains).map((d) => (parseDomainPattern(d) as { ok: true; pattern: DomainPattern }).pattern);
}

/** True when `url` may receive the secret: the list is empty, or one pattern matches. */
export function isUrlAllowed(url: string, domains: readonly string[] | readonly DomainPattern[]): boolean {
  if (domains.length === 0) return true;
  const patterns = typeof domains[0] === 'string' ? compileDomains(domains as string[]) : (domains as DomainPattern[]);
  const target = parseTarget(url);
  if (!target) return false;
  return patterns.some((p) => matches(p, target));
}

function matches(pattern: DomainPattern, target: { scheme: string; host: string }): boolean {
  if (!pattern.schemes.includes(target.scheme as DomainScheme)) return false;
  if (pattern.anyHost) return true;
  if (target.host === pattern.host) return true;
  return pattern.subdomains && target.host.endsWith(`.${pattern.host}`);
}

function parseTarget(url: string): { scheme: string; host: string } | undefined {
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(withScheme);
    return { scheme: parsed.protocol.replace(/:$/, ''), host: parsed.hostname.replace(/\.$/, '') };
  } catch {
    // Not a URL at all (e.g. an unresolved {{host}}): nothing can match it.
    return undefined;
  }
}

/** Punycode for international names, so patterns compare with what URL parsing yields. */
function toAsciiHost(host: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at \x00
  if (/^[\x00-\x7f]*$/.test(host)) return host;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host; // left as is: the host check below reports it
  }
}

function build(schemes: DomainScheme[], scheme: string | undefined, host: string, subdomains: boolean, anyHost: boolean): DomainPattern {
  const hostText = anyHost ? '*' : `${subdomains ? '*.' : ''}${host}`;
  const prefix = scheme === undefined ? '' : `${scheme.toLowerCase()}://`;
  return { source: `${prefix}${hostText}`, schemes, host, subdomains, anyHost };
}
