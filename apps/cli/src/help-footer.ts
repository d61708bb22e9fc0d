/**
 * The text after `vaultlink --help`: exit codes, where more help is, and Node advice. It points
 * at things a user of the npm package has (per-command help, the README inside the installed
 * package), never at a path in our repository.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeAdvice } from './node-policy.js';

/** README.md of the installed package: dist/ is one level below the package root. */
export function installedReadme(): string | undefined {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  return existsSync(path) ? path : undefined;
}

export function helpFooter(readme: string | undefined = installedReadme(), nodeVersion: string = process.version): string {
  const lines = [
    '',
    'Exit codes: 0 ok, 1 other error, 2 usage or invalid input, 3 auth, 4 not found or unresolved, 5 provider unavailable.',
    "Each command has its own help: vaultlink COMMAND --help; a provider's flags: vaultlink connect PROVIDER --help.",
    readme ? `Every command, flag and environment variable: ${readme}` : 'Every command, flag and environment variable: npm docs vaultlink',
  ];
  const advice = nodeAdvice(nodeVersion);
  if (advice) lines.push(advice);
  return `${lines.join('\n')}\n`;
}
