import { Option } from 'commander';

/** Repeatable option collector; also splits `a.com,b.com` for convenience (a comma never belongs to a domain). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ];
}

/** `--domain D` (repeatable): Postman `_domains` of a secret. */
export function domainOption(): Option {
  return new Option(
    '-d, --domain <domain>',
    'allowed domain (repeatable): api.example.com, *.example.com, http://localhost; no scheme means https, any port',
  ).argParser(collectList);
}
