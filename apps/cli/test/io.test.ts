/** CliIO (the ProviderIO of the terminal) and main() in-process, with fake streams. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createColors } from '../src/colors.js';
import { colorsEnabled } from '../src/colors.js';
import { CliIO } from '../src/io.js';
import { main } from '../src/index.js';
import type { CliStreams } from '../src/streams.js';

interface Fake extends CliStreams {
  stdin: PassThrough & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  out(): string;
  err(): string;
}

function fake(options: { tty?: boolean; env?: Record<string, string> } = {}): Fake {
  const stdin = new PassThrough() as Fake['stdin'];
  const stdout = new PassThrough() as PassThrough & { isTTY?: boolean };
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  if (options.tty) {
    stdin.isTTY = true;
    stdin.setRawMode = () => stdin;
    stderr.isTTY = true;
    // What a tty.WriteStream offers and ora uses to redraw its line.
    Object.assign(stderr, {
      columns: 80,
      cursorTo: (_x: number, cb?: () => void) => (cb?.(), true),
      clearLine: (_d: number, cb?: () => void) => (cb?.(), true),
      moveCursor: (_x: number, _y: number, cb?: () => void) => (cb?.(), true),
    });
  }
  return { stdin, stdout, stderr, env: options.env ?? {}, out: () => out, err: () => err };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('CliIO', () => {
  it('is interactive only with TTYs and without CI', () => {
    expect(new CliIO({ streams: fake({ tty: true }), colors: createColors(false) }).interactive).toBe(true);
    expect(new CliIO({ streams: fake({ tty: true, env: { CI: 'true' } }), colors: createColors(false) }).interactive).toBe(false);
    expect(new CliIO({ streams: fake({ tty: true, env: { CI: 'false' } }), colors: createColors(false) }).interactive).toBe(true);
    expect(new CliIO({ streams: fake(), colors: createColors(false) }).interactive).toBe(false);
  });

  it('without a terminal, prompt fails with INVALID_INPUT naming where to give the answer', async () => {
    const io = new CliIO({ streams: fake(), colors: createColors(false), promptHint: 'pass --token-stdin or set FIXTURE_TOKEN' });
    await expect(io.prompt('API token', { secret: true })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fix: { action: 'manual', text: 'pass --token-stdin or set FIXTURE_TOKEN' },
      issues: [expect.objectContaining({ field: 'API token' })],
    });
  });

  it('asks on stderr and hides a secret answer as it is typed', async () => {
    const streams = fake({ tty: true });
    const io = new CliIO({ streams, colors: createColors(false) });
    const answer = io.prompt('API token', { secret: true });
    await tick();
    streams.stdin.write('hunter2-typed\r');
    await expect(answer).resolves.toBe('hunter2-typed');
    expect(streams.err()).toContain('API token: ');
    expect(streams.err()).not.toContain('hunter2');
    expect(streams.out()).toBe('');
  });

  it('echoes a non-secret answer and applies the default to an empty one', async () => {
    const streams = fake({ tty: true });
    const io = new CliIO({ streams, colors: createColors(false) });
    const answer = io.prompt('Region', { default: 'eu-west-1' });
    await tick();
    streams.stdin.write('\r');
    await expect(answer).resolves.toBe('eu-west-1');
    expect(streams.err()).toContain('Region [eu-west-1]: ');
  });

  it('prints the URL on its own stderr line instead of opening a browser with --no-browser or without a terminal', async () => {
    for (const streams of [fake({ tty: true, env: { DISPLAY: ':0' } }), fake()]) {
      const io = new CliIO({ streams, colors: createColors(false), noBrowser: streams.stdin.isTTY === true });
      await io.openBrowser('https://login.example/authorize?x=1');
      expect(streams.err().split('\n')).toContain('https://login.example/authorize?x=1');
      expect(streams.out()).toBe('');
    }
  });

  it('progress writes nothing when stderr is not a TTY', async () => {
    const streams = fake();
    const io = new CliIO({ streams, colors: createColors(false) });
    await io.withProgress('Fetching', async () => tick());
    expect(streams.err()).toBe('');
  });

  it('progress shows a spinner on a TTY and clears it afterwards', async () => {
    const streams = fake({ tty: true });
    const io = new CliIO({ streams, colors: createColors(false) });
    await io.withProgress('Fetching secrets', async () => new Promise((r) => setTimeout(r, 200)));
    expect(streams.err()).toContain('Fetching secrets');
    expect(streams.err()).not.toContain('warning');
  });
});

describe('colours', () => {
  it('NO_COLOR and --no-color win over FORCE_COLOR and a TTY', () => {
    expect(colorsEnabled({}, [], true)).toBe(true);
    expect(colorsEnabled({}, [], false)).toBe(false);
    expect(colorsEnabled({ FORCE_COLOR: '1' }, [], false)).toBe(true);
    expect(colorsEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, [], true)).toBe(false);
    expect(colorsEnabled({ NO_COLOR: '' }, [], true)).toBe(true); // empty means unset (no-color.org)
    expect(colorsEnabled({}, ['--no-color'], true)).toBe(false);
  });
});

describe('main() in-process', () => {
  it('runs with the given streams and returns the exit code without exiting', async () => {
    const streams = fake();
    expect(await main(['--version'], streams)).toBe(0);
    expect(streams.out().trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = fake();
    expect(await main(['--json', 'nope'], bad)).toBe(2);
    expect(JSON.parse(bad.err().trim())).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});
