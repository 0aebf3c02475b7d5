import { dispatchSource, MAX_COMPILED_HANDLERS } from '../src/compile-dispatch';

// The generated fast path is pinned: a change to it shows up here as a diff to review, and the
// behaviour tests (hook-bus.test.ts) run on both it and the observed loop.
describe('generated dispatch', () => {
  it('is a straight line with one call site per handler', () => {
    expect(dispatchSource(2)).toMatchSnapshot();
  });

  it('grows linearly and stays bounded', () => {
    const one = dispatchSource(1).split('\n').length;
    const two = dispatchSource(2).split('\n').length;
    expect(dispatchSource(MAX_COMPILED_HANDLERS).split('\n').length).toBe(one + (two - one) * (MAX_COMPILED_HANDLERS - 1));
  });

  it('is valid JavaScript for every size it is used for', () => {
    for (const count of [0, 1, 7, MAX_COMPILED_HANDLERS]) {
      expect(() => new Function('list', 'entries', 'implicit', 'dispatcher', 'Thrown', 'isThenable', dispatchSource(count))).not.toThrow();
    }
  });
});
