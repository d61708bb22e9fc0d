/** commander value parsers for newman's flag forms. */
import { InvalidArgumentError } from 'commander';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--env-var key=value` (value may contain `=`), repeatable. */
export function collectKeyValue(
  value: string,
  previous: Array<{ key: string; value: string }> = [],
): Array<{ key: string; value: string }> {
  const at = value.indexOf('=');
  // The value is not echoed: it may be a secret.
  if (at <= 0) throw new InvalidArgumentError('expected KEY=VALUE with a non-empty KEY');
  return [...previous, { key: value.slice(0, at), value: value.slice(at + 1) }];
}

export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

export function milliseconds(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number of milliseconds (0 or more)');
  return number;
}
