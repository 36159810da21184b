/** The option parser every command uses: values, flags, repeated options, and the usage errors (exit 64). */
import { describe, expect, it } from 'vitest';
import { integerOption, parseArgs, UsageError } from '../../../src/cli/common.js';

describe('parseArgs', () => {
  const spec = { '--name': 'string', '--pair': 'list', '--json': 'flag' } as const;

  it('reads --name value, --name=value, repeated lists, flags and positionals', () => {
    const a = parseArgs(['file.csv', '--name', 'x', '--pair=a=1', '--pair', 'b=2', '--json', '--config', 'c.yaml'], spec);
    expect(a.strings.get('--name')).toBe('x');
    expect(a.strings.get('--config')).toBe('c.yaml');
    expect(a.lists.get('--pair')).toEqual(['a=1', 'b=2']);
    expect(a.flags.has('--json')).toBe(true);
    expect(a.positional).toEqual(['file.csv']);
  });

  it.each([
    [['--nmae', 'x'], 'unknown option --nmae'],
    [['--name'], '--name needs a value'],
    [['--name', '--json'], '--name needs a value'],
    [['--name', 'a', '--name', 'b'], '--name is given twice'],
    [['--json=yes'], '--json takes no value'],
    [['-x'], 'unknown option -x'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(UsageError);
    expect(() => parseArgs(argv, spec)).toThrow(message);
  });

  it('takes a value that starts with one dash, and an empty inline value', () => {
    const a = parseArgs(['--name', '-500'], spec);
    expect(a.strings.get('--name')).toBe('-500');
    expect(parseArgs(['--name='], spec).strings.get('--name')).toBe('');
  });

  it('takes integers, never fractions, signs or words', () => {
    const int = (v: string) => integerOption(parseArgs(['--n', v], { '--n': 'string' }), '--n', { min: 1, max: 10 });
    expect(int('7')).toBe(7);
    expect(() => int('0')).toThrow('--n must be an integer in 1..10, got "0"');
    expect(() => int('1.5')).toThrow('money is in minor units');
    expect(() => int('ten')).toThrow(UsageError);
    expect(integerOption(parseArgs([], { '--n': 'string' }), '--n')).toBeUndefined();
  });
});
