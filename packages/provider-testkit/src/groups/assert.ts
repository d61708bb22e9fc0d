/** Failures that tell a provider author what the contract expected. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

export function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name} ${(value as { code?: string }).code ?? ''}: ${value.message.split('\n')[0]}`;
  return typeof value;
}
