export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

export interface PackedInstall {
  /** The install folder (in the OS temp dir, outside the workspace). */
  dir: string;
  packageDir(name: string): string;
  /** Runs an installed bin (node_modules/.bin/NAME); never rejects on a non-zero exit. */
  exec(bin: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** Runs a CommonJS snippet with node in the install folder; never rejects on a non-zero exit. */
  node(source: string, options?: RunOptions): Promise<RunResult>;
  cleanup(): Promise<void>;
}

export function workspacePackages(): Map<string, { dir: string; manifest: Record<string, unknown> }>;
/** Tarball path per workspace package name; packs only when the packages' content changed. */
export function packedTarballs(): Promise<Record<string, string>>;
/** Installs the packages (and the workspace packages they depend on) from their tarballs into a new temp folder, with npm (default), pnpm or yarn classic (1.22). */
export function installPacked(names: string[], options?: { extra?: string[]; manager?: 'npm' | 'pnpm' | 'yarn' }): Promise<PackedInstall>;
export function run(command: string, args: string[], options?: RunOptions & { allowFailure?: boolean }): Promise<RunResult>;
