/**
 * What an example's package.json says about the workspace packages it uses, checked against the
 * workspace: its peer ranges must accept the versions we would publish (a release that breaks a
 * third-party provider must fail here, loudly, not as an npm ERESOLVE deep in an install), and its
 * vendored tarballs (`file:vendor/…` devDependencies) are named after the versions packed now.
 */
import { cp, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import semver from 'semver';
import { workspacePackages } from '../../packed/packed-install.mjs';
import { REPO } from './integration/outsider.js';

export interface ExampleManifest {
  name: string;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export const exampleDir = (example: string): string => join(REPO, 'examples', example);

export async function readExampleManifest(dir: string): Promise<ExampleManifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as ExampleManifest;
}

/** Version of each publishable workspace package, by name. */
export function workspaceVersions(): Map<string, string> {
  return new Map([...workspacePackages()].map(([name, { manifest }]) => [name, String(manifest.version)]));
}

/**
 * One message per peer range on a workspace package that the workspace's version does not
 * satisfy, saying what to update. A range that is not valid semver is a problem too. `where`
 * names the file people copy the range from (`examples/provider-aws-ssm`, a guide).
 */
export function peerRangeProblems(where: string, manifest: Pick<ExampleManifest, 'peerDependencies'>, versions: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    const version = versions.get(name);
    if (version === undefined) continue; // not ours: npm checks it
    if (semver.validRange(range) === null) problems.push(`${where} declares peerDependencies["${name}"] = "${range}", which is not a semver range.`);
    else if (!semver.satisfies(version, range)) {
      problems.push(
        `${where} declares peerDependencies["${name}"] = "${range}", which the workspace's ${name} ${version} does not satisfy: ` +
          `a third-party provider written like this fails to install next to this release (npm ERESOLVE). ` +
          `If the change is compatible for providers, widen the range there (e.g. "${range} || ^${version}"); if not, port the example and the guide, set the range to "^${version}" and say so in the changeset.`,
      );
    }
  }
  return problems;
}

/** The workspace packages an example installs from vendored tarballs: its `file:vendor/…` devDependencies. */
export function vendoredPackages(manifest: ExampleManifest): string[] {
  return Object.entries(manifest.devDependencies ?? {})
    .filter(([, spec]) => spec.startsWith('file:vendor/'))
    .map(([name]) => name)
    .sort();
}

/**
 * Copies the packed tarball of each vendored package into `dir/vendor`, under the name `pnpm pack`
 * gave it (so with the version packed now, whatever the committed package.json names), and returns
 * the `./vendor/…` specs to `npm install -D`, which rewrites the devDependencies to them.
 */
export async function vendorTarballs(dir: string, manifest: ExampleManifest, tarballs: Readonly<Record<string, string>>): Promise<string[]> {
  await mkdir(join(dir, 'vendor'), { recursive: true });
  const specs: string[] = [];
  for (const name of vendoredPackages(manifest)) {
    const tarball = tarballs[name];
    if (!tarball) throw new Error(`${manifest.name} vendors ${name}, which is no publishable workspace package (packed: ${Object.keys(tarballs).join(', ')})`);
    await cp(tarball, join(dir, 'vendor', basename(tarball)));
    specs.push(`./vendor/${basename(tarball)}`);
  }
  return specs;
}

/** The `@vault/…` peer ranges a guide tells authors to declare (`npm pkg set peerDependencies.X='R'` and `"X": "R"` in a peerDependencies block). */
export function guidePeerRanges(markdown: string): Array<Record<string, string>> {
  const ranges: Array<Record<string, string>> = [];
  for (const match of markdown.matchAll(/peerDependencies\.(@vault\/[\w-]+)='([^']+)'/g)) ranges.push({ [match[1]!]: match[2]! });
  for (const match of markdown.matchAll(/"peerDependencies":\s*\{([^}]*)\}/g)) {
    for (const entry of match[1]!.matchAll(/"(@vault\/[\w-]+)":\s*"([^"]+)"/g)) ranges.push({ [entry[1]!]: entry[2]! });
  }
  return ranges;
}
