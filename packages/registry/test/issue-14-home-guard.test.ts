// Issue 14, part 3: MARATHON_HOME was trusted blindly. Its folders followed the umask (0777 under
// umask 000), nobody checked who owned it or who could write in it, and a symbolic link in place
// of installed/ or data/@scope made Marathon delete in the link's target. secureHome makes the
// home private and refuses one that someone else could have written in, saying how to fix it.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marathonHome, ownedFolders, RegistryError, secureHome, type MarathonHome } from '@marathon/registry';

let root: string;
let home: MarathonHome;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-guard-'));
  home = marathonHome(join(root, 'home'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';
const asRoot = posix && process.geteuid?.() === 0;

async function refusal(): Promise<RegistryError> {
  try {
    await secureHome(home);
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected secureHome to refuse the home');
}

(posix ? it : it.skip)('creates the home and every folder Marathon writes in as 0700, whatever the umask', async () => {
  const previous = process.umask(0);
  try {
    await secureHome(home);
  } finally {
    process.umask(previous);
  }
  expect(mode(home.root)).toBe(0o700);
  for (const folder of ownedFolders(home)) expect({ folder, mode: mode(folder) }).toEqual({ folder, mode: 0o700 });
  // And opening it again accepts it.
  await secureHome(home);
});

(posix ? it : it.skip)('refuses a home that other users can write in, naming it and the chmod that fixes it', async () => {
  mkdirSync(home.root);
  chmodSync(home.root, 0o777);
  const error = await refusal();
  expect(error).toMatchObject({ code: 'HOME_UNSAFE' });
  expect(error.message).toContain(`${home.root} can be changed by other users (mode 0777)`);
  expect(error.message).toContain(`chmod -R go-rwx '${home.root}'`);
  // Not "repaired" behind the operator's back: something may already have been planted.
  expect(mode(home.root)).toBe(0o777);
});

(posix ? it : it.skip)('refuses a group-writable staging folder inside a private home', async () => {
  await secureHome(home);
  chmodSync(home.stagingDir, 0o770);
  expect(await refusal()).toMatchObject({
    code: 'HOME_UNSAFE',
    message: expect.stringContaining(`${home.stagingDir} can be changed by other users (mode 0770)`),
  });
});

(posix ? it : it.skip)('tightens a home an older Marathon left readable by others (umask 022) to 0700', async () => {
  mkdirSync(home.installedDir, { recursive: true });
  writeFileSync(home.stateFile, '{"version":1,"plugins":{}}');
  chmodSync(home.root, 0o755);
  chmodSync(home.installedDir, 0o755);
  await secureHome(home);
  expect(mode(home.root)).toBe(0o700);
  expect(mode(home.installedDir)).toBe(0o700);
});

(posix ? it : it.skip)(
  'leaves the mode of a folder that is not a Marathon home (MARATHON_HOME pointed at a shared folder) as it is',
  async () => {
    mkdirSync(home.root);
    writeFileSync(join(home.root, 'notes.txt'), 'mine');
    chmodSync(home.root, 0o755);
    await secureHome(home);
    expect(mode(home.root)).toBe(0o755);
  },
);

it('refuses a symbolic link in place of installed/, and leaves the target alone', async () => {
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(join(elsewhere, 'precious'), { recursive: true });
  mkdirSync(home.root);
  symlinkSync(elsewhere, home.installedDir);
  expect(await refusal()).toMatchObject({
    code: 'HOME_UNSAFE',
    message: expect.stringContaining(`${home.installedDir} is a symbolic link (to ${elsewhere})`),
  });
  expect(existsSync(join(elsewhere, 'precious'))).toBe(true);
});

it('refuses a symbolic link as a data scope folder (data/@scope) or an installed copy', async () => {
  await secureHome(home);
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(home.root, 'data', '@acme'));
  expect(await refusal()).toMatchObject({
    code: 'HOME_UNSAFE',
    message: expect.stringContaining(`${join(home.root, 'data', '@acme')} is a symbolic link`),
  });
  rmSync(join(home.root, 'data', '@acme'));
  mkdirSync(join(home.root, 'data', '@acme'));
  symlinkSync(elsewhere, join(home.root, 'data', '@acme', 'tool'));
  expect(await refusal()).toMatchObject({
    code: 'HOME_UNSAFE',
    message: expect.stringContaining(`${join(home.root, 'data', '@acme', 'tool')} is a symbolic link`),
  });
  rmSync(join(home.root, 'data', '@acme'), { recursive: true });
  symlinkSync(elsewhere, join(home.installedDir, 'x@1.0.0-0123abcd'));
  expect(await refusal()).toMatchObject({ code: 'HOME_UNSAFE' });
});

(asRoot ? it : it.skip)('as root, refuses a home another user owns (they could steer what root runs and deletes)', async () => {
  mkdirSync(home.root, { mode: 0o700 });
  chownSync(home.root, 12345, 12345);
  const error = await refusal();
  expect(error).toMatchObject({ code: 'HOME_UNSAFE' });
  expect(error.message).toContain(`${home.root} belongs to uid 12345 and you are root`);
});

(asRoot ? it : it.skip)("as root, refuses a Marathon folder inside root's home that another user owns", async () => {
  await secureHome(home);
  chownSync(home.keysDir, 12345, 12345);
  expect(await refusal()).toMatchObject({ code: 'HOME_UNSAFE', message: expect.stringContaining(`${home.keysDir} belongs to uid 12345`) });
});
