/**
 * The lean path of `vaultlink get NAME` when an agent serves the vault: it loads neither
 * commander nor the engine, only the agent client, asks the agent and prints the value, so
 * the command costs little more than starting Node. Anything else (another argument, no
 * agent, a locked agent) returns undefined and the full CLI runs the command, with the same
 * output rules; an error from the agent is reported by the full CLI's error printer.
 * It runs only in the CommonJS launcher (bin.ts), so `require` and `__dirname` exist; require()
 * loads the CommonJS builds synchronously, without the ES module loader's start-up.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous CommonJS loads, as said above */
import { parseAgentMode } from './agent-env.js';

const SWITCHES = new Set(['--json', '--no-color']);

/** The secret name when argv is exactly `get NAME` with only --json / --no-color around it. */
export function fastGetName(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !SWITCHES.has(arg));
  if (words.length !== 2 || words[0] !== 'get') return undefined;
  const name = words[1]!;
  return name.startsWith('-') ? undefined : name;
}

/** Exit code when the agent answered; undefined to run the full CLI. */
export async function fastGet(argv: readonly string[]): Promise<number | undefined> {
  const name = fastGetName(argv);
  const env = process.env;
  const mode = parseAgentMode(env.VAULTLINK_AGENT);
  if (name === undefined || mode === undefined || mode === 'off') return undefined;
  const client = require('@vault/agent/connect') as typeof import('@vault/agent/connect');
  // VAULTLINK_HOME is almost always set where speed matters; the XDG default needs core's rules.
  const home = env.VAULTLINK_HOME?.trim()
    ? env.VAULTLINK_HOME
    : (require('@vault/core/paths') as typeof import('@vault/core/paths')).defaultVaultHome(env);
  let connection;
  try {
    connection = await client.AgentConnection.open(client.agentPaths(home, env));
  } catch {
    return undefined; // not running, or refused: the full CLI decides and reports
  }
  const cwd = process.cwd();
  const warnings: string[] = [];
  const teamConfig = env.VAULTLINK_TEAM_CONFIG;
  try {
    const value = await connection
      .request<string>('get', [name], {
        ctx: { cwd, resolveFrom: [cwd, __dirname], ...(teamConfig ? { teamConfig } : {}) },
        onWarning: (warning) => warnings.push(warning.message),
      })
      .finally(() => printWarnings(warnings, argv));
    const json = argv.includes('--json');
    process.stdout.write(json ? `${JSON.stringify({ name, value }, null, 2)}\n` : process.stdout.isTTY ? `${value}\n` : value);
    return 0;
  } catch (error) {
    if (client.isLockedByAgent(error)) return undefined; // the full CLI unlocks and asks again
    const [{ reportError }, { createColors, colorsEnabled }] = await Promise.all([import('./errors.js'), import('./colors.js')]);
    const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env };
    return reportError(error, {
      streams,
      colors: createColors(colorsEnabled(env, [...argv], Boolean(process.stderr.isTTY))),
      json: argv.includes('--json'),
    });
  } finally {
    connection.close();
  }
}

/** Store warnings the agent met (a rolled-back vault file), printed as the full CLI prints them. */
async function printWarnings(messages: readonly string[], argv: readonly string[]): Promise<void> {
  if (messages.length === 0) return;
  const { createColors, colorsEnabled } = await import('./colors.js');
  const colors = createColors(colorsEnabled(process.env, [...argv], Boolean(process.stderr.isTTY)));
  for (const message of messages) process.stderr.write(`${colors.yellow('warning:')} ${message}\n`);
}
