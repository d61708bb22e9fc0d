/**
 * newman loads `-r htmlextra` with a bare require from its own lib/run/index.js, which
 * searches that module's `paths`. In this repository pnpm's hidden hoisting (and the
 * NODE_PATH pnpm's bin shims set for vitest) happen to put the reporter within newman's
 * reach, so the test takes newman's paths down to its own package directory (as with pnpm
 * hoisting off or a nested install) and checks that the runner's additions contain the
 * very reporter package it bundles. NODE_PATH cannot be taken away inside this process,
 * so "newman alone would not find it" is checked on the file system.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exposeReportersToNewman, newmanRunModule } from '../src/engine/reporter-lookup.js';

const runnerRequire = createRequire(import.meta.url);
runnerRequire('newman'); // newman's index loads lib/run, whose require loads reporters

const record = newmanRunModule(runnerRequire);
const originalPaths = [...record.paths];
const newmanPackage = dirname(runnerRequire.resolve('newman/package.json'));
/** What newman can see when nothing is hoisted next to it: only its own package directory. */
const isolatedPaths = originalPaths.filter((directory) => directory.startsWith(newmanPackage + sep));
const bundledReporter = dirname(runnerRequire.resolve('newman-reporter-htmlextra/package.json'));

/** The directories of `paths` a bare require('newman-reporter-htmlextra') would find the package in. */
const holdingReporter = (paths: string[]) =>
  paths.filter((directory) => existsSync(join(directory, 'newman-reporter-htmlextra', 'package.json')));

afterEach(() => {
  record.paths = [...originalPaths];
});

describe('newman finds the reporters the runner bundles', () => {
  it('loads the bundled newman-reporter-htmlextra even when newman alone cannot see it', () => {
    record.paths = [...isolatedPaths];
    expect(holdingReporter(record.paths)).toEqual([]);

    exposeReportersToNewman(runnerRequire);

    const [first] = holdingReporter(record.paths);
    expect(first).toBeDefined();
    expect(realpathSync(join(first as string, 'newman-reporter-htmlextra'))).toBe(bundledReporter);
    const loaded = record.require('newman-reporter-htmlextra') as unknown;
    expect(loaded).toBe(runnerRequire('newman-reporter-htmlextra'));
    expect(typeof loaded).toBe('function'); // newman calls `new Reporter(emitter, options, runOptions)`
  });

  it("keeps newman's own directories first and adds each directory once", () => {
    record.paths = [...isolatedPaths];
    exposeReportersToNewman(runnerRequire);
    const once = [...record.paths];
    exposeReportersToNewman(runnerRequire);

    expect(record.paths.length).toBeGreaterThan(isolatedPaths.length);
    expect(record.paths).toEqual(once);
    expect(record.paths.slice(0, isolatedPaths.length)).toEqual(isolatedPaths);
    expect(new Set(record.paths).size).toBe(record.paths.length);
  });
});
