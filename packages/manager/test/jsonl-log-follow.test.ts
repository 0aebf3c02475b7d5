// JsonlLog.follow (`marathon plugin logs --follow`) reads what other processes append, in pieces
// that can end anywhere — also inside a multi-byte character or a line.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlLog } from '../src/jsonl-log';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-follow-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Resolves once `predicate` holds, polling a few ms apart (the follow polls every 5 ms here). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a line appended in two pieces split inside a character arrives whole and unmangled', async () => {
  const file = join(root, 'log.jsonl');
  writeFileSync(file, '');
  const log = new JsonlLog<{ message: string }>(file);
  const seen: string[] = [];
  const stop = log.follow((records) => seen.push(...records.map((record) => record.message)), 5);
  try {
    const line = Buffer.from(`${JSON.stringify({ message: 'déjà vu — ✅ 日本' })}\n`, 'utf8');
    const cut = line.indexOf(Buffer.from('✅')) + 1; // inside the three bytes of ✅
    appendFileSync(file, line.subarray(0, cut));
    // Let at least one poll read the first piece on its own.
    const started = Date.now();
    await until(() => Date.now() - started > 50);
    expect(seen).toEqual([]);
    appendFileSync(file, line.subarray(cut));
    await until(() => seen.length > 0);
    expect(seen).toEqual(['déjà vu — ✅ 日本']);
  } finally {
    stop();
  }
});
