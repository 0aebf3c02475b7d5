import { MarathonError } from '@marathon/plugin-api';

class ExampleError extends MarathonError<'EXAMPLE_REFUSED'> {
  override readonly name = 'ExampleError';
}

describe('MarathonError', () => {
  it('lists its details under the message and keeps them as details', () => {
    const error = new ExampleError('EXAMPLE_REFUSED', 'refused: fix these', { details: ['first', 'second'] });
    expect(error.message).toBe('refused: fix these\n  first\n  second');
    expect(error.details).toEqual(['first', 'second']);
    expect(error.format()).toBe(error.message);
    expect(error.toJSON()).toEqual({ code: 'EXAMPLE_REFUSED', message: 'refused: fix these', details: ['first', 'second'] });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  it('carries a cause', () => {
    const cause = new Error('underneath');
    expect(new MarathonError('X', 'on top', { cause }).cause).toBe(cause);
    expect('cause' in new MarathonError('X', 'alone')).toBe(false);
  });

  it('reports what its message shows, after the message was rewritten for the operator', () => {
    const error = new MarathonError('X', 'in /staging/abc', { details: ['/staging/abc/index.js: eval'] });
    error.message = error.message.split('/staging/abc/').join('');
    expect(error.toJSON()).toEqual({ code: 'X', message: 'in /staging/abc', details: ['index.js: eval'] });
  });

  it('shows details the message does not list beneath it', () => {
    const error = new MarathonError('X', 'headline');
    Object.defineProperty(error, 'details', { value: ['hidden finding'] });
    expect(error.format()).toBe('headline\n  hidden finding');
    expect(error.toJSON().details).toEqual(['hidden finding']);
  });

  it('is recognised by its brand, not by a code that looks like one', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT' });
    expect(MarathonError.is(enoent)).toBe(false);
    expect(enoent instanceof MarathonError).toBe(false);
    expect(MarathonError.is({ code: 'X', message: 'not an error' })).toBe(false);
    const error = new ExampleError('EXAMPLE_REFUSED', 'no');
    expect(MarathonError.is(error)).toBe(true);
    expect(error instanceof MarathonError).toBe(true);
    expect(error instanceof ExampleError).toBe(true);
    expect(new MarathonError('X', 'base') instanceof ExampleError).toBe(false);
  });

  it('recognises an error from another copy of the package, and one that must stay a TypeError', () => {
    // Another copy's class is another class: only the registered symbol is shared.
    const foreign = Object.assign(new Error('from a second copy'), { code: 'OTHER', details: [] });
    Object.defineProperty(foreign, Symbol.for('marathon.error'), { value: true });
    expect(foreign instanceof MarathonError).toBe(true);

    class ShapeError extends TypeError {
      readonly details: readonly string[] = [];
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
        MarathonError.brand(this);
      }
    }
    const shape = new ShapeError('BAD_SHAPE', 'a TypeError with a code');
    expect(shape instanceof TypeError).toBe(true);
    expect(shape instanceof MarathonError).toBe(true);
    expect(MarathonError.toJSON(shape)).toEqual({ code: 'BAD_SHAPE', message: 'a TypeError with a code', details: [] });
  });
});
