/**
 * Node policy: vaultlink runs on Node 20 (package engines), and recommends 22 or 24, the lines
 * still maintained. Node 20 reached its end of life in April 2026.
 */

/** Oldest Node major we recommend; older ones work but get a line of advice in `--help`. */
export const RECOMMENDED_NODE_MAJOR = 22;

/**
 * The AWS SDK prints a 9-line NodeVersionSupportWarning on Node < 22 in every process that makes a
 * client, which drowns each AWS command's output. The SDK's own switch turns it off; a user who sets
 * the variable themselves (to anything) keeps their choice. Node's advice is in `--help` and the README.
 */
export function quietSdkNodeWarnings(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** One line of advice when this Node is older than the recommended line, else undefined. */
export function nodeAdvice(version: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major >= RECOMMENDED_NODE_MAJOR) return undefined;
  return `You are running Node ${version}, which is past its end of life: vaultlink still supports it, but Node 22 or 24 is recommended.`;
}
