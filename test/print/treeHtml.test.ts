import { describe, expect, it } from 'vitest';
import { Chain, Linear, Residual, TinyFaceDetector, countParams, printTreeHtml } from '../../src/index.ts';

describe('printTreeHtml', () => {
  it('nests details with child names, labels, subtree counts and tensors', () => {
    const m = Chain(Linear({ inFeatures: 3, outFeatures: 2 }), Residual(Linear({ inFeatures: 2, outFeatures: 2, bias: false })));
    expect(printTreeHtml(m, { open: 0, rootName: 'Model<&>' })).toBe(
      '<div class="canopy-tree"><details><summary><span class="name">Model&#60;&#38;&#62;</span> <span class="label">(CHAIN)</span> <span class="count">12 params</span></summary><ul>' +
        '<li><details><summary><span class="name">Linear</span> <span class="label">Linear(inFeatures=3, outFeatures=2)</span> <span class="count">8 params</span></summary>' +
        '<ul><li class="param"><span class="name">weight</span> float32[2, 3]</li><li class="param"><span class="name">bias</span> float32[2]</li></ul></details></li>' +
        '<li><details><summary><span class="name">Residual</span> <span class="label">(RES) Residual()</span> <span class="count">4 params</span></summary><ul>' +
        '<li><details><summary><span class="name">Linear</span> <span class="label">Linear(inFeatures=2, outFeatures=2, bias=false)</span> <span class="count">4 params</span></summary>' +
        '<ul><li class="param"><span class="name">weight</span> float32[2, 2]</li></ul></details></li></ul></details></li></ul></details></div>',
    );
  });

  it("states the face detector's total as countParams does, root open by default", () => {
    const d = TinyFaceDetector();
    const html = printTreeHtml(d);
    expect(html.startsWith('<div class="canopy-tree"><details open><summary>')).toBe(true);
    expect(html).toContain(`<span class="count">${countParams(d).total.toLocaleString('en-US')} params</span></summary>`);
  });
});
