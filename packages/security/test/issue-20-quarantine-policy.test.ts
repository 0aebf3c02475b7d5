// Issue 20: config.json's `quarantine` key, the manager's thresholds for putting a plugin that keeps
// failing in error: defaults filled in key by key, and refused like the other keys when wrong.
import { DEFAULT_POLICY, parsePolicy, PolicyError } from '@marathon/security';

function problems(input: unknown): string[] {
  try {
    parsePolicy(input, 'config.json');
  } catch (error) {
    if (error instanceof PolicyError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a PolicyError');
}

it('defaults to 5 faults or 3 broken limits within 60 s, on', () => {
  expect(DEFAULT_POLICY.quarantine).toEqual({ enabled: true, max_faults: 5, max_breaches: 3, window_s: 60 });
  expect(parsePolicy({}).quarantine).toEqual(DEFAULT_POLICY.quarantine);
});

it('keeps the defaults of the keys a config.json leaves out', () => {
  expect(parsePolicy({ quarantine: { max_faults: 10 } }).quarantine).toEqual({
    enabled: true,
    max_faults: 10,
    max_breaches: 3,
    window_s: 60,
  });
  expect(parsePolicy({ quarantine: { enabled: false } }).quarantine.enabled).toBe(false);
});

it('refuses a wrong value or an unknown key, naming the closest known one', () => {
  const found = problems({ quarantine: { max_faults: 0, window_s: 'a minute', max_breach: 2 } });
  expect(found).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^quarantine\.max_faults: /) as string,
      expect.stringMatching(/^quarantine\.window_s: /) as string,
      "quarantine.max_breach: unknown key 'max_breach' (did you mean 'max_breaches'?)",
    ]),
  );
  expect(found).toHaveLength(3);
});
