/**
 * The link manifest: a committed, value-free file (`.vaultlink/links.json`) that shares link
 * definitions with a team: per secret name, the provider, its `vaultlink link` flags and the
 * allowed domains. Never values, never sessions. Its JSON Schema ships in this package
 * (`schemas/links-v1.schema.json`) and is what validates it (ajv), so editors and vaultlink
 * agree on the format; every bad entry and field is reported at once.
 */
import schema from '../../schemas/links-v1.schema.json' with { type: 'json' };
import { normalizeDomains } from '../domains.js';
import { IssueList, VaultError, isVaultError } from '../errors.js';
import { SECRET_NAME_EXPECTED } from '../names.js';
import type { LinkFlags } from '../sdk/link-flags.js';

export const LINKS_MANIFEST_VERSION = 1 as const;
export const LINKS_MANIFEST_DIR = '.vaultlink';
export const LINKS_MANIFEST_FILE = 'links.json';
/** The schema copy `links export` writes beside the manifest, which `$schema` points to. */
export const LINKS_SCHEMA_FILE = 'links.schema.json';
export const LINKS_SCHEMA_REF = `./${LINKS_SCHEMA_FILE}`;
/** A manifest `resolve`, `run` and `exec` fall back to for names the vault does not have (opt-in). */
export const LINKS_MANIFEST_ENV = 'VAULTLINK_LINKS';

/** The schema itself (draft-07), as shipped. */
export const LINKS_MANIFEST_SCHEMA: Readonly<Record<string, unknown>> = schema;

export interface ManifestEntry {
  provider: string;
  /** `vaultlink link` flags by name, without dashes. */
  link: LinkFlags;
  allowedDomains?: string[];
}

export interface LinkManifest {
  $schema?: string;
  version: typeof LINKS_MANIFEST_VERSION;
  links: Record<string, ManifestEntry>;
}

export function emptyLinkManifest(): LinkManifest {
  return { $schema: LINKS_SCHEMA_REF, version: LINKS_MANIFEST_VERSION, links: {} };
}

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  propertyName?: string;
}
type Validate = ((value: unknown) => boolean) & { errors?: SchemaError[] | null };

let validator: Promise<Validate> | undefined;

/** ajv compiled once per process, loaded on first use so opening a vault does not pay for it. */
function compiled(): Promise<Validate> {
  validator ??= import('ajv').then((module) => {
    const Ajv = (module.default ?? module) as unknown as new (options: Record<string, unknown>) => { compile(schema: unknown): Validate };
    return new Ajv({ allErrors: true, strict: true }).compile(schema);
  });
  return validator;
}

/** Parses and validates manifest text. Throws INVALID_CONFIG naming `path`, each bad entry and field. */
export async function parseLinkManifest(text: string, path: string): Promise<LinkManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VaultError('INVALID_CONFIG', `The link manifest ${path} is not valid JSON.`, {
      issues: [
        {
          field: '(file)',
          problem: `is not valid JSON${positionOf(error)}`,
          expected: 'a JSON object { "version": 1, "links": { "NAME": { "provider": "…", "link": { … } } } }',
        },
      ],
      fix: `fix the JSON in ${path}, or write it again with \`vaultlink links export\``,
      details: { path },
    });
  }
  return validateLinkManifest(parsed, path);
}

export async function validateLinkManifest(value: unknown, path: string): Promise<LinkManifest> {
  const validate = await compiled();
  const issues = new IssueList();
  if (!validate(value)) for (const error of validate.errors ?? []) addSchemaIssue(issues, error);
  else {
    for (const [name, entry] of Object.entries((value as LinkManifest).links)) {
      if (!entry.allowedDomains) continue;
      try {
        normalizeDomains(entry.allowedDomains, `links.${name}.allowedDomains`);
      } catch (error) {
        if (!isVaultError(error)) throw error;
        for (const issue of error.issues) issues.add(issue.field, issue.problem, issue.expected);
      }
    }
  }
  issues.throwIfAny('INVALID_CONFIG', `The link manifest ${path} has invalid entries.`, {
    fix: `correct ${path} (its JSON Schema is ${LINKS_SCHEMA_FILE} beside it), or write it again with \`vaultlink links export\``,
    details: { path },
  });
  return value as LinkManifest;
}

/** The manifest as written: names sorted, two-space JSON, one trailing newline. */
export function renderLinkManifest(manifest: LinkManifest): string {
  const links = Object.fromEntries(
    Object.keys(manifest.links)
      .sort()
      .map((name) => [name, manifest.links[name]!]),
  );
  return `${JSON.stringify({ $schema: manifest.$schema ?? LINKS_SCHEMA_REF, version: manifest.version, links }, null, 2)}\n`;
}

/** ajv's JSON-pointer locations as dotted fields (`links.api.provider`) with the form expected there. */
function addSchemaIssue(issues: IssueList, error: SchemaError): void {
  // A bad property name is reported twice by ajv (its pattern, then propertyNames): keep the second.
  if (error.propertyName !== undefined) return;
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at = (name: unknown): string => [...segments, String(name)].join('.');
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      issues.add(at(p['missingProperty']), 'is missing', expectedAt([...segments, String(p['missingProperty'])]));
      return;
    case 'additionalProperties':
      issues.add(
        at(p['additionalProperty']),
        'is not a field of the manifest',
        `only ${segments.length === 0 ? '$schema, version, links' : 'provider, link, allowedDomains'}`,
      );
      return;
    case 'propertyNames':
      issues.add(
        at(p['propertyName']),
        'is not a valid name here',
        segments.length === 1 ? `a secret name: ${SECRET_NAME_EXPECTED}` : 'a kebab-case flag name such as role-arn',
      );
      return;
    case 'oneOf':
      issues.add(segments.join('.'), 'is not a flag value', 'text, true (a switch) or a list of text');
      return;
  }
  // A flag value's own type errors are the branches of its oneOf, which says it once.
  if (segments[2] === 'link' && segments.length >= 4) return;
  issues.add(segments.length ? segments.join('.') : '(root)', error.message ?? 'is invalid', expectedAt(segments));
}

function expectedAt(segments: readonly string[]): string {
  const [top, , inner] = segments;
  if (segments.length === 1 && top === 'version') return '1';
  if (segments.length === 1 && top === 'links') return 'an object keyed by secret name';
  if (segments.length === 1) return 'a manifest field';
  if (segments.length === 2) return 'an object { "provider": "…", "link": { … }, "allowedDomains": [ … ] }';
  if (inner === 'provider') return 'a provider id such as aws, azure or hashicorp';
  if (inner === 'link') return "an object of the provider's `vaultlink link` flags, without dashes";
  if (inner === 'allowedDomains') return 'a list of host patterns such as api.example.com';
  return 'see links.schema.json';
}

/** " (line L column C)" from a JSON.parse error where Node gives one; never the text it quotes. */
function positionOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const line = /line (\d+) column (\d+)/.exec(message);
  if (line) return ` (line ${line[1]} column ${line[2]})`;
  const position = /position (\d+)/.exec(message)?.[1];
  return position !== undefined ? ` (at character ${position})` : '';
}
