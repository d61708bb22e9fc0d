import { createMasker } from '@vault/core';

/** Failures that tell a provider author what the contract expected. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** An error by name, code and first message line, with every one of `secrets` masked out of the message. */
export function describeValue(value: unknown, secrets: readonly string[]): string {
  if (value instanceof Error)
    return `${value.name} ${(value as { code?: string }).code ?? ''}: ${createMasker(secrets).mask(value.message.split('\n')[0] ?? '')}`;
  return typeof value;
}
