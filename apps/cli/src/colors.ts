import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour is for people: only on stderr, and only when it is a TTY (or FORCE_COLOR asks for it).
 * NO_COLOR (any non-empty value, https://no-color.org) and `--no-color` always win.
 */
export function colorsEnabled(env: Readonly<Record<string, string | undefined>>, argv: readonly string[], stderrIsTTY: boolean): boolean {
  if (argv.includes('--no-color')) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return stderrIsTTY && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
