// Finds the machine tools the peers need (python3 + venv/pip, Java 25, Maven) and says how to get
// whatever is missing. Nothing is skipped silently: a missing tool is an error with a fix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LOWKEY_MIN_JAVA } from './versions.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, out: r.error.code === 'ENOENT' ? 'not found' : r.error.message };
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

export class MissingPrerequisiteError extends Error {
  constructor(problems) {
    super(
      `[peers] cannot install the test peers; the machine is missing:\n` +
        problems.map((p) => `  - ${p.what}\n      fix: ${p.fix}`).join('\n') +
        `\n(To run without peers on purpose, set VAULTLINK_SKIP_PEERS=1; integration tests then skip loudly.)`,
    );
    this.name = 'MissingPrerequisiteError';
    this.problems = problems;
  }
}

/** python3 with the venv module (pip comes from ensurepip inside the venv). */
export function findPython() {
  const python = process.env.VAULTLINK_PYTHON || 'python3';
  const version = run(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
  if (!version.ok) {
    return {
      problem: {
        what: `Python 3 (${python}: ${version.out})`,
        fix: 'install Python 3.9+ (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip), or set VAULTLINK_PYTHON',
      },
    };
  }
  const [major, minor] = version.out.split('.').map(Number);
  if (major !== 3 || minor < 9) {
    return {
      problem: { what: `Python >= 3.9 (found ${version.out} at ${python})`, fix: 'install Python 3.9+ or point VAULTLINK_PYTHON at one' },
    };
  }
  const venv = run(python, ['-c', 'import venv, ensurepip']);
  if (!venv.ok) {
    return {
      problem: {
        what: `the Python venv module with pip (ensurepip) for ${python}`,
        fix: 'apt-get install python3-venv python3-pip (or your OS equivalent)',
      },
    };
  }
  return { python, version: version.out };
}

function javaMajor(javaBin) {
  const r = run(javaBin, ['-version']);
  if (!r.ok) return null;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.out);
  if (!m) return null;
  // Java 8 reports "1.8.0_x".
  return Number(m[1]) === 1 ? Number(m[2]) : Number(m[1]);
}

/** A Java runtime new enough for the pinned Lowkey: JAVA25_HOME, JAVA_HOME, the Temurin 25 JDK, then PATH. */
export function findJava() {
  const candidates = [
    process.env.JAVA25_HOME && path.join(process.env.JAVA25_HOME, 'bin', 'java'),
    process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java'),
    '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java',
    '/usr/lib/jvm/temurin-25-jdk-arm64/bin/java',
    'java',
  ].filter(Boolean);
  const seen = [];
  for (const java of candidates) {
    if (java !== 'java' && !fs.existsSync(java)) continue;
    const major = javaMajor(java);
    if (major === null) continue;
    seen.push(`${java} (${major})`);
    if (major >= LOWKEY_MIN_JAVA) return { java, major };
  }
  return {
    problem: {
      what: `Java ${LOWKEY_MIN_JAVA}+ for Lowkey Vault (found: ${seen.join(', ') || 'none'})`,
      fix: `install a Java ${LOWKEY_MIN_JAVA} JDK (e.g. Temurin ${LOWKEY_MIN_JAVA}) and set JAVA25_HOME or JAVA_HOME to it`,
    },
  };
}

export function findMaven() {
  const mvn = process.env.VAULTLINK_MVN || 'mvn';
  const r = run(mvn, ['-v']);
  if (!r.ok)
    return {
      problem: {
        what: `Maven (${mvn}: ${r.out.split('\n')[0]})`,
        fix: 'apt-get install maven (or install Apache Maven 3.8+ and put mvn on PATH)',
      },
    };
  return { mvn };
}
