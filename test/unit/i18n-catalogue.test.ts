import assert from 'node:assert/strict';
import { LANGUAGES, readCatalogues } from '../../src/i18n/i18n';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
}

describe('message catalogues (locales/)', () => {
  const catalogues = readCatalogues();

  it('has the same namespaces in every language', () => {
    const [first, ...rest] = LANGUAGES;
    for (const language of rest) {
      assert.deepEqual(Object.keys(catalogues[language]).sort(), Object.keys(catalogues[first]).sort(), language);
    }
  });

  for (const namespace of Object.keys(readCatalogues().en)) {
    it(`${namespace}: every key exists in every language, with the same placeholders, none empty`, () => {
      const byLanguage = Object.fromEntries(LANGUAGES.map((l) => [l, new Map(keysWithValues(catalogues[l][namespace] ?? {}))]));
      const all = new Set(LANGUAGES.flatMap((l) => [...byLanguage[l].keys()]));
      const problems: string[] = [];
      for (const key of all) {
        const values = LANGUAGES.map((l) => byLanguage[l].get(key));
        LANGUAGES.forEach((l, i) => {
          if (values[i] === undefined) problems.push(`${l}: ${namespace}:${key} is missing`);
          else if (values[i]!.trim() === '') problems.push(`${l}: ${namespace}:${key} is empty`);
        });
        if (values.every((v) => v !== undefined)) {
          const expected = placeholders(values[0]!);
          LANGUAGES.slice(1).forEach((l, i) => {
            if (placeholders(values[i + 1]!).join() !== expected.join()) {
              problems.push(`${l}: ${namespace}:${key} has placeholders ${placeholders(values[i + 1]!)} not ${expected}`);
            }
          });
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});

function keysWithValues(messages: Record<string, unknown>, prefix = ''): Array<[string, string]> {
  return Object.entries(messages).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') return keysWithValues(value as Record<string, unknown>, path);
    return [[path, String(value)]];
  });
}
