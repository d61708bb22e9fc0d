/**
 * The examples' peer ranges against the workspace versions: a version bump (`changeset version`)
 * that a third-party provider's range does not accept fails here with what to update, before any
 * install; and the vendored tarballs follow the packed versions, whatever package.json names.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO } from './integration/outsider.js';
import { exampleDir, guidePeerRanges, peerRangeProblems, readExampleManifest, vendoredPackages, workspaceVersions, type ExampleManifest } from './example-manifest.js';

const examples = readdirSync(join(REPO, 'examples'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('the examples accept the workspace versions', () => {
  it('there are examples to check', () => {
    expect(examples).toContain('provider-aws-ssm');
  });

  it.each(examples)('examples/%s: every peer range on a workspace package is satisfied by the workspace version', async (example) => {
    const manifest = await readExampleManifest(exampleDir(example));
    const versions = workspaceVersions();
    const ours = Object.keys(manifest.peerDependencies ?? {}).filter((name) => versions.has(name));
    expect(ours.length, `examples/${example} has no peer dependency on a workspace package`).toBeGreaterThan(0);
    const problems = peerRangeProblems(`examples/${example}`, manifest, versions);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it.each(examples)('examples/%s: every vendored tarball is a publishable workspace package', async (example) => {
    const vendored = vendoredPackages(await readExampleManifest(exampleDir(example)));
    const versions = workspaceVersions();
    expect(vendored.filter((name) => !versions.has(name))).toEqual([]);
  });

  it('docs/writing-a-provider.md tells authors to declare @vault/core ranges the workspace version satisfies', async () => {
    const guide = await readFile(join(REPO, 'docs', 'writing-a-provider.md'), 'utf8');
    const ranges = guidePeerRanges(guide);
    expect(ranges.length, 'the guide shows the peer range to declare').toBeGreaterThanOrEqual(2);
    const problems = ranges.flatMap((peerDependencies) => peerRangeProblems('docs/writing-a-provider.md', { peerDependencies }, workspaceVersions()));
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the aws-ssm example vendors core and the testkit', async () => {
    expect(vendoredPackages(await readExampleManifest(exampleDir('provider-aws-ssm')))).toEqual(['@vault/core', '@vault/provider-testkit']);
  });
});

describe('peerRangeProblems', () => {
  const core = workspaceVersions().get('@vault/core')!;
  const manifest: ExampleManifest = { name: 'x', peerDependencies: { '@vault/core': `^${core}`, 'not-ours': '^9.0.0' } };

  it('a major bump of a workspace package breaks a caret range: the message names the example, the range, the version and what to do', () => {
    const bumped = semver.inc(core, 'major')!;
    const [problem, ...rest] = peerRangeProblems('examples/x', manifest, new Map([['@vault/core', bumped]]));
    expect(rest).toEqual([]);
    expect(problem).toContain(`examples/x declares peerDependencies["@vault/core"] = "^${core}"`);
    expect(problem).toContain(`@vault/core ${bumped} does not satisfy`);
    expect(problem).toMatch(/widen the range there .* set the range to "\^/);
  });

  it('a patch bump passes; packages that are not ours are left to npm; a range that is not semver is reported', () => {
    expect(peerRangeProblems('examples/x', manifest, new Map([['@vault/core', semver.inc(core, 'patch')!]]))).toEqual([]);
    expect(peerRangeProblems('examples/x', { peerDependencies: { '@vault/core': 'one point oh' } }, new Map([['@vault/core', core]]))).toEqual([
      'examples/x declares peerDependencies["@vault/core"] = "one point oh", which is not a semver range.',
    ]);
  });
});
