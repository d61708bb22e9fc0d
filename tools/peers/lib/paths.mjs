// Where the harness keeps its installs and runtime state: ignored folders inside the repo.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const TOOLS_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.resolve(TOOLS_DIR, '..', '..');
export const PEERS_HOME = process.env.VAULTLINK_PEERS_HOME
  ? path.resolve(process.env.VAULTLINK_PEERS_HOME)
  : path.join(REPO_ROOT, '.peers');

/** shared/ beside the repo: CI and every developer machine get the Lowkey jar from its jars/ folder. */
export const SHARED_DIR = process.env.VAULTLINK_SHARED_DIR
  ? path.resolve(process.env.VAULTLINK_SHARED_DIR)
  : path.join(REPO_ROOT, '..', 'shared');

export const VENV_DIR = path.join(PEERS_HOME, 'venv');
export const VENV_BIN = path.join(VENV_DIR, 'bin');
export const JARS_DIR = path.join(PEERS_HOME, 'jars');
export const LOGS_DIR = path.join(PEERS_HOME, 'logs');
export const RUN_DIR = path.join(PEERS_HOME, 'run');
/** One JSON file per running peer process group, so a later run can reap what a killed run left behind. */
export const PIDS_DIR = path.join(RUN_DIR, 'pids');
export const ENV_SH = path.join(RUN_DIR, 'env.sh');
export const ENV_JSON = path.join(RUN_DIR, 'env.json');
export const DETACHED_PID_FILE = path.join(RUN_DIR, 'peers-up.pid');

/**
 * Per-run state (audit log, CA bundle, dev-server home...): .peers/run/<runId>, where runId is the
 * owner's pid, or 'detached' for `peers up --detach`. Separate dirs let several runs share the repo.
 */
export const runStateDir = (runId = String(process.pid)) => path.join(RUN_DIR, runId);
