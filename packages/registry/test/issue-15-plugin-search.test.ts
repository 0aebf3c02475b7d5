// Issue 15, item 3: how plugin search pages, against the two ways registries answer /-/v1/search
// (the CLI test runs the real Verdaccio; here each answering rule is exercised on purpose, with
// plugins placed after the first page). npmjs: `keywords:` is a qualifier, and `size` counts
// from `from`. Verdaccio 6.5: words match names and descriptions, and it answers
// objects.slice(from, size).
import { searchPlugins, type SearchRequest } from '../src/plugin-search';

interface Pkg {
  name: string;
  description: string;
  keywords: string[];
}

const plugin = (name: string): Pkg => ({ name, description: `${name}, a plugin`, keywords: ['marathon-plugin'] });
const other = (index: number): Pkg => ({ name: `lib-${index}`, description: 'a library', keywords: ['lib'] });

/** 700 packages with the plugins at positions 10, 260, 400, 520 and 699. */
function packages(): Pkg[] {
  const list = Array.from({ length: 700 }, (_, index) => other(index));
  for (const [position, name] of [
    [10, 'alpha'],
    [260, 'bravo'],
    [400, 'charlie'],
    [520, 'delta'],
    [699, 'echo'],
  ] as const)
    list[position] = plugin(name);
  return list;
}

function verdaccio(all: Pkg[], asked: string[]): SearchRequest {
  return async (text, from, size) => {
    asked.push(`${text}|${from}|${size}`);
    const words = text.split(' ');
    const matches = all.filter((pkg) => words.every((word) => pkg.name.includes(word) || pkg.description.includes(word)));
    return matches.slice(from, size).map((pkg) => ({ package: pkg }));
  };
}

function npmjs(all: Pkg[], asked: string[]): SearchRequest {
  return async (text, from, size) => {
    asked.push(`${text}|${from}|${size}`);
    if (size > 250) throw new Error('size must be at most 250');
    const words = text.split(' ').filter(Boolean);
    const matches = all.filter((pkg) =>
      words.every((word) =>
        word.startsWith('keywords:') ? pkg.keywords.includes(word.slice(9)) : pkg.name.includes(word) || pkg.description.includes(word),
      ),
    );
    return matches.slice(from, from + size).map((pkg) => ({ package: pkg }));
  };
}

test('on a registry that reads size as the end of the page, every plugin is found past the first page', async () => {
  const asked: string[] = [];
  const found = await searchPlugins(verdaccio(packages(), asked), '', 20);
  expect(found.map((result) => result.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  // The qualifier matched nothing; the words alone were paged through, each later page asked the registry's way.
  expect(asked).toEqual(['keywords:marathon-plugin|0|20', '|0|250', '|250|250', '|250|500', '|500|750']);
});

test('stops paging as soon as limit plugins are found', async () => {
  const asked: string[] = [];
  expect((await searchPlugins(verdaccio(packages(), asked), 'a', 2)).map((result) => result.name)).toEqual(['alpha', 'bravo']);
  // bravo is on the second page: no third is asked for.
  expect(asked).toEqual(['keywords:marathon-plugin a|0|2', 'keywords:marathon-plugin|0|1', 'a|0|250', 'a|250|250', 'a|250|500']);
});

test('on a registry that understands keywords:, only plugins are asked for, a page of limit at a time', async () => {
  const asked: string[] = [];
  expect((await searchPlugins(npmjs(packages(), asked), '', 3)).map((result) => result.name)).toEqual(['alpha', 'bravo', 'charlie']);
  expect(asked).toEqual(['keywords:marathon-plugin|0|3']);
  const all: string[] = [];
  expect((await searchPlugins(npmjs(packages(), all), '', 250)).map((result) => result.name)).toEqual([
    'alpha',
    'bravo',
    'charlie',
    'delta',
    'echo',
  ]);
  expect(all).toEqual(['keywords:marathon-plugin|0|250']);
});

test('words no plugin matches give nothing at once where the registry understands keywords:', async () => {
  const asked: string[] = [];
  expect(await searchPlugins(npmjs(packages(), asked), 'library', 20)).toEqual([]);
  expect(asked).toEqual(['keywords:marathon-plugin library|0|20', 'keywords:marathon-plugin|0|1']);
});

test('a package listed twice (a registry and its uplink) is shown once; a name no package can have is not shown', async () => {
  const list = [plugin('alpha'), plugin('alpha'), { ...plugin('Bad Name'), name: 'Bad Name' }, plugin('bravo')];
  const found = await searchPlugins(verdaccio(list, []), '', 20);
  expect(found.map((result) => result.name)).toEqual(['alpha', 'bravo']);
});

test('reading stops after a bounded number of pages on a registry with endless non-plugins', async () => {
  const asked: string[] = [];
  const endless: SearchRequest = async (text, from, size) => {
    asked.push(`${text}|${from}|${size}`);
    return Array.from({ length: size }, (_, index) => ({ package: other(from + index) }));
  };
  expect(await searchPlugins(endless, '', 20)).toEqual([]);
  expect(asked.length).toBeLessThanOrEqual(2 * 8 + 1);
});
