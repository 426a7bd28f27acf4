import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FASTER_COLOURS, SLOWER_COLOURS } from '../../extension/editor/changeColors';
import { HEAT_COLOURS, heatIconDataUri } from '../../extension/editor/heatColors';

interface ColourContribution {
  id: string;
  defaults: { dark: string; light: string };
}

describe('heat colours', () => {
  it('match the theme colour defaults declared in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const declared = new Map<string, ColourContribution>(
      (pkg.contributes.colors as ColourContribution[]).map((c) => [c.id, c]),
    );
    // The comparison's diverging marks follow the same rule.
    for (const colour of [...HEAT_COLOURS, ...SLOWER_COLOURS, ...FASTER_COLOURS]) {
      const contribution = declared.get(colour.id);
      assert.ok(contribution, `${colour.id} is declared in contributes.colors`);
      assert.equal(contribution.defaults.dark, colour.dark, `${colour.id} dark`);
      assert.equal(contribution.defaults.light, colour.light, `${colour.id} light`);
    }
  });

  it('draws each level as an SVG bar in its colour, wider for hotter levels', () => {
    const decode = (uri: string) => Buffer.from(uri.split(',')[1], 'base64').toString('utf8');
    const cool = decode(heatIconDataUri('#123456', 1));
    const hot = decode(heatIconDataUri('#123456', 5));
    assert.match(cool, /^<svg [^>]*>.*fill="#123456".*<\/svg>$/);
    const width = (svg: string) => Number(/<rect [^>]*width="(\d+)"/.exec(svg)![1]);
    assert.ok(width(hot) > width(cool));
  });
});
