import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_IDS } from '../../extension/contributions/commandIds';
import { SETTING_CHOICES, SETTING_DEFAULTS } from '../../extension/contributions/settingsSchema';

const ROOT = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, { default?: unknown; enum?: string[] }> };
  };
};

describe('contributions: the typed maps and package.json agree', () => {
  it('declares exactly the commands of the map', () => {
    const declared = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual([...declared].sort(), [...COMMAND_IDS].sort());
  });

  it('registers a handler for every command of the map', () => {
    const source = readFileSync(path.join(ROOT, 'extension/commands/registerCommands.ts'), 'utf8');
    const registered = [...source.matchAll(/register\(\s*'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual([...registered].sort(), [...COMMAND_IDS].sort());
  });

  it('declares every setting with the default and the choices of the schema', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(
      Object.keys(properties).sort(),
      Object.keys(SETTING_DEFAULTS)
        .map((key) => `hotpath.${key}`)
        .sort(),
    );
    for (const [key, fallback] of Object.entries(SETTING_DEFAULTS)) {
      const declared = properties[`hotpath.${key}`];
      assert.deepEqual(declared.default, fallback, `default of hotpath.${key}`);
      const choices = SETTING_CHOICES[key as keyof typeof SETTING_DEFAULTS];
      assert.deepEqual(declared.enum, choices ? [...choices] : undefined, `choices of hotpath.${key}`);
    }
  });

  it('reads settings only through the typed accessor', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (!name.includes('.')) walk(full);
        else if (name.endsWith('.ts') && !full.endsWith(path.join('contributions', 'settings.ts'))) {
          if (/getConfiguration\(\s*'hotpath'/.test(readFileSync(full, 'utf8'))) offenders.push(full);
        }
      }
    };
    walk(path.join(ROOT, 'extension'));
    assert.deepEqual(offenders, []);
  });
});
