/** readFlagValues: the one set of rules the CLI and the web UI read provider flag values with. */
import { describe, expect, it } from 'vitest';
import { IssueList, readFlagValues, VaultError, type FlagSpec, type GivenFlagValue } from '../src/index.js';

const specs: FlagSpec[] = [
  { name: 'role-arn', description: 'role', type: 'string', env: 'T_ROLE' },
  { name: 'tag', description: 'tags', type: 'list', env: 'T_TAGS' },
  { name: 'mfa', description: 'switch', type: 'boolean', env: 'T_MFA' },
  { name: 'method', description: 'how', type: 'string', choices: ['a', 'b'], env: 'T_METHOD' },
];

/** Reads `values` (keyed by flag name, named `--flag` in issues) with `env`; returns the fields or the issues. */
function read(values: Record<string, unknown>, env: Record<string, string> = {}) {
  const issues = new IssueList();
  const given = (spec: FlagSpec): GivenFlagValue => ({ value: values[spec.name], field: `--${spec.name}` });
  const fields = readFlagValues(specs, given, env, issues);
  return { fields, issues: issues.items };
}

describe('readFlagValues', () => {
  it('trims text, and empty or blank text means absent (the environment fills it)', () => {
    expect(read({ 'role-arn': '  arn:x  ' }).fields).toEqual({ roleArn: 'arn:x' });
    expect(read({ 'role-arn': '' }, { T_ROLE: 'arn:env' }).fields).toEqual({ roleArn: 'arn:env' });
    expect(read({ 'role-arn': '   ' }, { T_ROLE: 'arn:env' }).fields).toEqual({ roleArn: 'arn:env' });
    expect(read({}, { T_ROLE: '' }).fields).toEqual({});
  });

  it('a given value wins over the environment', () => {
    expect(read({ 'role-arn': 'arn:given', method: 'b' }, { T_ROLE: 'arn:env', T_METHOD: 'a' }).fields).toEqual({
      roleArn: 'arn:given',
      method: 'b',
    });
  });

  it('splits a list given as text (the environment, a form) on commas and new lines; list items stay whole', () => {
    expect(read({}, { T_TAGS: 'a, b,,c ' }).fields).toEqual({ tag: ['a', 'b', 'c'] });
    expect(read({ tag: 'x\ny, z' }).fields).toEqual({ tag: ['x', 'y', 'z'] });
    expect(read({ tag: [' one ', '', 'two,three'] }).fields).toEqual({ tag: ['one', 'two,three'] });
  });

  it('reads yes/no words for switches; an off switch (false) is absent so the environment can turn it on', () => {
    for (const word of ['1', 'true', 'YES', ' on ']) expect(read({}, { T_MFA: word }).fields).toEqual({ mfa: true });
    for (const word of ['0', 'false', 'No', 'off']) expect(read({}, { T_MFA: word }).fields).toEqual({ mfa: false });
    expect(read({ mfa: true }).fields).toEqual({ mfa: true });
    expect(read({ mfa: false }, { T_MFA: 'yes' }).fields).toEqual({ mfa: true });
    expect(read({ mfa: 'off' }, { T_MFA: 'yes' }).fields).toEqual({ mfa: false });
  });

  it('refuses a yes/no variable that is neither, naming the variable and the words', () => {
    const { fields, issues } = read({}, { T_MFA: 'maybe' });
    expect(fields).toEqual({});
    expect(issues).toEqual([
      {
        field: 'T_MFA',
        problem: '"maybe" is not a yes/no value',
        expected: expect.stringContaining('1, true, yes, on, 0, false, no, off'),
      },
    ]);
  });

  it('checks choices, naming where the refused value came from', () => {
    expect(read({ method: 'c' }).issues).toEqual([{ field: '--method', problem: '"c" is not allowed', expected: 'one of a, b' }]);
    expect(read({}, { T_METHOD: 'z' }).issues).toEqual([{ field: 'T_METHOD', problem: '"z" is not allowed', expected: 'one of a, b' }]);
  });

  it('refuses values of the wrong kind, and reports every problem at once', () => {
    const { fields, issues } = read({ 'role-arn': ['a', 'b'], tag: 5, method: 'c' }, { T_MFA: 'perhaps' });
    expect(fields).toEqual({});
    expect(issues.map((issue) => `${issue.field}: ${issue.problem}`)).toEqual([
      '--role-arn: is given more than once',
      '--tag: must be text',
      'T_MFA: "perhaps" is not a yes/no value',
      '--method: "c" is not allowed',
    ]);
  });

  it('never puts a refused value in the fields, and leaves throwing to the host', () => {
    const issues = new IssueList();
    const fields = readFlagValues(specs, (spec) => ({ value: spec.name === 'method' ? 'c' : undefined, field: spec.name }), {}, issues);
    expect(fields).toEqual({});
    expect(() => issues.throwIfAny('INVALID_INPUT', 'Invalid provider options.')).toThrow(VaultError);
  });
});
