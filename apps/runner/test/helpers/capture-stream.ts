/** A stream stand-in for CommandContext.stdout/stderr that keeps what is written. */
export function captureStream(isTTY = false): { write(text: string): boolean; isTTY: boolean; text(): string } {
  let buffer = '';
  return {
    isTTY,
    write(text: string) {
      buffer += text;
      return true;
    },
    text: () => buffer,
  };
}
