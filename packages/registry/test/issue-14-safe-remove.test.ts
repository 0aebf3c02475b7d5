// Issue 14, part 3: removals follow no link and never leave MARATHON_HOME. A symbolic link in
// place of a folder on the way (installed/, data/@scope) used to make rm delete in its target.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moveInHome, removeInHome } from '@marathon/registry';

let root: string;
let home: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-remove-'));
  home = join(root, 'home');
  outside = join(root, 'outside');
  mkdirSync(join(outside, 'tool'), { recursive: true });
  writeFileSync(join(outside, 'tool', 'precious.txt'), 'keep me');
  mkdirSync(join(home, 'data'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('refuses a path outside the home, and the home itself', async () => {
  await expect(removeInHome(home, join(outside, 'tool'))).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  await expect(removeInHome(home, join(home, '..', 'outside', 'tool'))).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  await expect(removeInHome(home, home)).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  expect(existsSync(join(outside, 'tool', 'precious.txt'))).toBe(true);
});

it('refuses to delete through a symbolic link on the way (data/@scope → elsewhere)', async () => {
  symlinkSync(outside, join(home, 'data', '@acme'));
  await expect(removeInHome(home, join(home, 'data', '@acme', 'tool'))).rejects.toMatchObject({
    code: 'HOME_UNSAFE',
    message: expect.stringContaining(`${join(home, 'data', '@acme')} is a symbolic link`),
  });
  expect(existsSync(join(outside, 'tool', 'precious.txt'))).toBe(true);
});

it('removes a link that is itself the target as a link, not what it points at', async () => {
  symlinkSync(join(outside, 'tool'), join(home, 'data', 'tool'));
  await removeInHome(home, join(home, 'data', 'tool'));
  expect(() => lstatSync(join(home, 'data', 'tool'))).toThrow();
  expect(existsSync(join(outside, 'tool', 'precious.txt'))).toBe(true);
});

it('removes folders, with links inside them removed as links', async () => {
  mkdirSync(join(home, 'data', 'x'));
  symlinkSync(outside, join(home, 'data', 'x', 'escape'));
  await removeInHome(home, join(home, 'data', 'x'));
  expect(existsSync(join(home, 'data', 'x'))).toBe(false);
  expect(existsSync(join(outside, 'tool', 'precious.txt'))).toBe(true);
  // Absent: nothing to do.
  await removeInHome(home, join(home, 'data', 'x'));
});

it('moves only inside the home and never through a link', async () => {
  writeFileSync(join(home, 'data', 'file'), 'x');
  await expect(moveInHome(home, join(home, 'data', 'file'), join(outside, 'file'))).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  await expect(moveInHome(home, join(outside, 'tool'), join(home, 'data', 'tool'))).rejects.toMatchObject({ code: 'PATH_REFUSED' });
  symlinkSync(outside, join(home, 'data', '@acme'));
  await expect(moveInHome(home, join(home, 'data', 'file'), join(home, 'data', '@acme', 'file'))).rejects.toMatchObject({
    code: 'HOME_UNSAFE',
  });
  expect(existsSync(join(outside, 'file'))).toBe(false);
});
