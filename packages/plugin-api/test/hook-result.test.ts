import { describeResultValue, failure, isHookResult, success } from '@marathon/plugin-api';

// The one HookResult guard: the hook bus, the sandbox host and the sandbox worker all ask it.
it('accepts what success() and failure() make, and extra keys', () => {
  expect(isHookResult(success())).toBe(true);
  expect(isHookResult(failure('no', { why: 1 }))).toBe(true);
  expect(isHookResult({ success: false, continue_chain: false, result_data: null, note: 'ignored' })).toBe(true);
});

it.each([
  [undefined, 'nothing'],
  [null, 'null'],
  ['yes', 'a string'],
  [1, 'a number'],
  [[], 'an array'],
  [Object.assign([], { success: true }), 'an array'],
  [{}, 'an object without a boolean success'],
  [{ success: 'true' }, 'an object without a boolean success'],
  [{ success: true, message: 42 }, 'an object whose message is not a string'],
  [{ success: true, continue_chain: 'no' }, 'an object whose continue_chain is not a boolean'],
])('refuses %p as %s', (value, words) => {
  expect(isHookResult(value)).toBe(false);
  expect(describeResultValue(value)).toBe(words);
});
