// LoRA: Refiners' test_lora.py behaviours (properties, scale, from_weights, from_dict, adapter
// names / loras / scales, add / remove / duplicate / nonexistent, unknown scale names), Conv2d
// strides, autoAttachLoras, LoRA sets, merge / unmerge.
import { describe, expect, it } from 'vitest';
import {
  Chain, Conv2d, Linear, allClose, fromArray, isKind, layerEquals, named, randn, referenceBackend, run, zeros, type AnyLayer, type Tensor,
} from 'canopy-nn';
import {
  Conv2dLora, LinearLora, LoraAdapter, addLora, addLoras, eject, autoAttachLoras, inject, isLora, isMerged,
  loadLoraWeights, loraDelta, loraFromWeights, loraInfo,
  loraSetScales, lorasFromDict, lorasOf, lorasOfSet, mergeLoras, removeAllLoras, removeLora, removeLoras, setLoraScales,
  setLoraSetScales, unmergeLoras, withLoraScale,
} from '../../src/adapters/index.ts';

const opts = { backend: referenceBackend };
const out = async (m: AnyLayer, x: Tensor): Promise<Tensor> => (await run(m, [x], opts)).output as Tensor;
const names = (a: AnyLayer): string[] => [...lorasOf(a).keys()];
const scales = (a: AnyLayer): Record<string, number> => Object.fromEntries([...lorasOf(a)].map(([n, l]) => [n, loraInfo(l).scale]));
const lora = (name = 'a', i = 4, o = 4, rank = 2, seed = 0) =>
  loadLoraWeights(LinearLora(name, { inFeatures: i, outFeatures: o, rank }), randn([rank, i], seed), randn([o, rank], seed + 1));

describe('Lora', () => {
  it('properties: name, rank, scale, down/up shapes; up is zero, down ~ N(0, 1/rank²), seeded', () => {
    const l = LinearLora('test', { inFeatures: 64, outFeatures: 32, rank: 8, scale: 0.5, seed: 3 });
    const { name, rank, scale, down, up } = loraInfo(l);
    expect([name, rank, scale, isLora(l)]).toEqual(['test', 8, 0.5, true]);
    expect(down.params['weight']!.shape).toEqual([8, 64]);
    expect(up.params['weight']!.shape).toEqual([32, 8]);
    expect(up.params['weight']!.data.every((v) => v === 0)).toBe(true);
    const d = down.params['weight']!.data;
    const std = Math.sqrt(Array.from(d).reduce((s: number, v: number) => s + v * v, 0) / d.length);
    expect(std).toBeGreaterThan(0.1);
    expect(std).toBeLessThan(0.15); // 1/8 = 0.125
    expect(layerEquals(LinearLora('test', { inFeatures: 64, outFeatures: 32, rank: 8, scale: 0.5, seed: 3 }), l)).toBe(true);
    expect(layerEquals(LinearLora('test', { inFeatures: 64, outFeatures: 32, rank: 8, scale: 0.5, seed: 4 }), l)).toBe(false);
  });
  it('scale setter returns a new LoRA and keeps the old one', async () => {
    const l = lora();
    const l2 = withLoraScale(l, 2);
    expect([loraInfo(l).scale, loraInfo(l2).scale]).toEqual([1, 2]);
    const x = randn([3, 4], 9);
    const [y1, y2] = [await out(l, x), await out(l2, x)];
    expect(allClose(y2, fromArray([...Array(3)].map((_, r) => [...Array(4)].map((_, c) => 2 * y1.data[r * 4 + c]!))), { atol: 1e-6 })).toBe(true);
  });
  it('fromWeights: 2-D → LinearLora, 4-D → Conv2dLora with kernel sizes from the weights', () => {
    const l = loraFromWeights('w', randn([2, 5], 1), randn([3, 2], 2), { scale: 0.3 });
    expect([l.kind.name, loraInfo(l).rank, loraInfo(l).scale]).toEqual(['LinearLora', 2, 0.3]);
    const c = loraFromWeights('c', randn([2, 3, 1, 1], 1), randn([4, 2, 3, 3], 2));
    expect([c.kind.name, loraInfo(c).down.attrs['kernelSize'], loraInfo(c).up.attrs['kernelSize'], loraInfo(c).up.attrs['padding']]).toEqual(['Conv2dLora', [1, 1], [3, 3], [1, 1]]);
    expect(() => loraFromWeights('x', randn([2, 5], 1), randn([3, 4], 2))).toThrow(
      'loraFromWeights: down [rank, in(, kh, kw)] and up [out, rank(, kh, kw)] must have the same rank 2 or 4 and agree on rank, got down [2,5] and up [3,4] (LoRA "x")',
    );
  });
  it('fromDict: .weight keys in pairs, keyed by the down key minus two segments', () => {
    const loras = lorasFromDict('set', {
      'unet.mid.down.weight': zeros([2, 4]), 'unet.mid.up.weight': zeros([4, 2]), 'unet.mid.alpha': zeros([1]),
      'te.q.down.weight': zeros([1, 3, 1, 1]), 'te.q.up.weight': zeros([5, 1, 3, 3]),
    });
    expect([...loras.keys()]).toEqual(['unet.mid', 'te.q']);
    expect([...loras.values()].map((l) => [l.kind.name, loraInfo(l).name])).toEqual([['LinearLora', 'set'], ['Conv2dLora', 'set']]);
    expect(() => lorasFromDict('s', { 'a.down.weight': zeros([1, 1]) })).toThrow(/must come in \(down, up\) pairs, got 1/);
  });
  it('loadLoraWeights checks shapes', () => {
    expect(() => loadLoraWeights(LinearLora('a', { inFeatures: 2, outFeatures: 2, rank: 1 }), zeros([2, 2]), zeros([2, 1]))).toThrow(
      'loadLoraWeights: down weight must be [1,2], got [2,2] (LoRA "a")',
    );
  });
});

describe('LoraAdapter', () => {
  const target = Linear({ inFeatures: 4, outFeatures: 4, seed: 5 });
  const adapter = LoraAdapter(target, lora('a'), withLoraScale(lora('b', 4, 4, 2, 3), 0.5));
  it('names, loras, scales', () => {
    expect([...lorasOf(adapter).keys()]).toEqual(['a', 'b']);
    expect(scales(adapter)).toEqual({ a: 1, b: 0.5 });
    expect(isKind(adapter, LoraAdapter.kind) && !isMerged(adapter)).toBe(true);
  });
  it('output = target + Σ loras', async () => {
    const x = randn([2, 4], 11);
    const expected = [await out(target, x), await out(lora('a'), x), await out(withLoraScale(lora('b', 4, 4, 2, 3), 0.5), x)];
    const sum = fromArray([...Array(2)].map((_, r) => [...Array(4)].map((_, c) => expected.reduce((s, t) => s + t.data[r * 4 + c]!, 0))));
    expect(allClose(await out(adapter, x), sum, { atol: 1e-5 })).toBe(true);
  });
  it('scale setter by name; unknown names are an error listing the names', () => {
    expect(scales(setLoraScales(adapter, { a: 2 }))).toEqual({ a: 2, b: 0.5 });
    expect(scales(adapter)).toEqual({ a: 1, b: 0.5 });
    expect(() => setLoraScales(adapter, { c: 1 })).toThrow('setLoraScales: every name must be a LoRA of the adapter, got "c" (LoRAs: a, b)');
  });
  it('add, remove, duplicate, nonexistent', () => {
    const added = addLora(adapter, lora('c'));
    expect(names(added)).toEqual(['a', 'b', 'c']);
    expect(() => addLora(adapter, lora('a'))).toThrow('addLora: LoRA names must be unique in an adapter, got "a" already in (a, b)');
    expect(() => LoraAdapter(target, lora('a'), lora('a'))).toThrow('LoraAdapter: LoRA names must be unique, got "a" twice');
    const { adapter: rest, removed } = removeLora(adapter, 'a');
    expect([names(rest), removed === lorasOf(adapter).get('a')]).toEqual([['b'], true]);
    expect(removeLora(adapter, 'zzz')).toEqual({ adapter, removed: undefined });
  });
  it('Conv2dLora takes the target\'s stride into down', async () => {
    const conv = Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1 });
    const a = LoraAdapter(conv, Conv2dLora('c', { inChannels: 2, outChannels: 3, rank: 1 }));
    expect(loraInfo(lorasOf(a).get('c')!).down.attrs['stride']).toEqual([2, 2]);
    expect((await out(a, zeros([1, 2, 7, 7]))).shape).toEqual([1, 3, 4, 4]);
  });
  it('a fresh LoRA changes no output (exactly)', async () => {
    const x = randn([3, 4], 2);
    expect((await out(LoraAdapter(target, LinearLora('f', { inFeatures: 4, outFeatures: 4 })), x)).data).toEqual((await out(target, x)).data);
  });
});

describe('autoAttach', () => {
  const block = (seed: number): AnyLayer => named('Block', Chain(Linear({ inFeatures: 4, outFeatures: 4, seed }), Linear({ inFeatures: 4, outFeatures: 2, seed: seed + 1 })));
  const model = Chain(block(1), named('Head', Chain(Linear({ inFeatures: 4, outFeatures: 4, seed: 9 }))), block(3));
  it('walk order and shape: each LoRA goes to the next fitting layer without one of its name', () => {
    const r = autoAttachLoras(model, { k1: lora('s', 4, 2), k2: lora('s', 4, 4), k3: lora('s', 4, 2) }, { sanityCheck: false });
    expect(r.attached).toEqual([
      { key: 'k1', path: 'Block_1.Linear_2' },
      { key: 'k2', path: 'Block_1.Linear_1' },
      { key: 'k3', path: 'Block_2.Linear_2' },
    ]);
    expect(r.failed).toEqual([]);
  });
  const attach = (m: AnyLayer, l: AnyLayer, options: { include?: string[]; exclude?: string[] }) => autoAttachLoras(m, { k: l }, { ...options, sanityCheck: false });
  it('include / exclude by ancestor kind; the report lists failures', () => {
    expect(attach(model, lora('s'), { include: ['Head'] }).attached[0]?.path).toBe('Head.Linear');
    expect(attach(model, lora('s'), { exclude: ['Block'] }).attached[0]?.path).toBe('Head.Linear');
    const r = autoAttachLoras(model, { only: lora('s', 4, 4), none: lora('t', 3, 3) }, { include: ['Head'] });
    expect(r.attached).toEqual([{ key: 'only', path: 'Head.Linear' }]);
    expect(r.failed).toEqual(['none']);
  });
  it('a second LoRA name joins the existing LoraAdapter', () => {
    const once = attach(model, lora('s'), { include: ['Head'] }).model;
    const twice = attach(once, lora('t'), { include: ['Head'] }).model;
    const a = twice.children[1]!.children[0]!;
    expect([isKind(a, LoraAdapter.kind), names(a)]).toEqual([true, ['s', 't']]);
  });
  it('sanity check: attaching again must attach nothing', () => {
    expect(() => autoAttachLoras(model, { k: lora('s', 4, 2) })).toThrow(
      'autoAttachLoras: each LoRA must fit exactly one layer, got "k" (LoRA "s") fitting again at "Block_2.Linear_2" after attaching all 1; attachment is by walk order and shape, so narrow it with include / exclude',
    );
    const r = autoAttachLoras(model, { a: lora('s', 4, 2), b: lora('s', 4, 2) });
    expect(autoAttachLoras(r.model, { a: lora('s', 4, 2), b: lora('s', 4, 2) }, { sanityCheck: false }).attached).toEqual([]);
  });
});

describe('LoRA sets (the manager)', () => {
  const model = Chain(Linear({ inFeatures: 4, outFeatures: 4, seed: 1 }), Linear({ inFeatures: 4, outFeatures: 3, seed: 2 }));
  const dict = (seed: number): Record<string, Tensor> => ({
    'l1.down.weight': randn([2, 4], seed), 'l1.up.weight': randn([4, 2], seed + 1),
    'l2.down.weight': randn([2, 4], seed + 2), 'l2.up.weight': randn([3, 2], seed + 3),
  });
  const one = addLoras(model, 'pokemon', dict(1), { scale: 0.5 });
  const two = addLoras(one.model, 'style', dict(10));
  it('adds named sets with a scale each, and reports where each LoRA went', () => {
    expect(one.attached).toEqual([{ key: 'l1', path: 'Linear_1' }, { key: 'l2', path: 'Linear_2' }]);
    expect(Object.keys(loraSetScales(two.model))).toEqual(['pokemon', 'style']);
    expect(loraSetScales(two.model)).toEqual({ pokemon: 0.5, style: 1 });
    expect(lorasOfSet(two.model, 'style').length).toBe(2);
    expect(() => addLoras(two.model, 'style', dict(3))).toThrow('addLoras: a LoRA set name must be new to the model, got "style" already there (sets: pokemon, style)');
    expect(() => addLoras(model, 'x', { 'a.down.weight': zeros([1, 7]), 'a.up.weight': zeros([7, 1]) })).toThrow('addLoras: every LoRA of "x" must fit a layer, got 1 that fit none: a');
  });
  it('scales per set; removal ejects emptied adapters; removeAll gives the base back', async () => {
    const scaled = setLoraSetScales(two.model, { pokemon: 0 });
    expect(loraSetScales(scaled)).toEqual({ pokemon: 0, style: 1 });
    const x = randn([2, 4], 5);
    const onlyStyle = removeLoras(two.model, 'pokemon');
    expect(Object.keys(loraSetScales(onlyStyle))).toEqual(['style']);
    expect(allClose(await out(scaled, x), await out(onlyStyle, x), { atol: 1e-6 })).toBe(true);
    expect(layerEquals(removeLoras(onlyStyle, 'style'), model)).toBe(true);
    expect(layerEquals(removeAllLoras(two.model), model)).toBe(true);
    expect(() => removeLoras(two.model, 'nope')).toThrow('removeLoras: every LoRA set must be in the model, got "nope" not there (sets: pokemon, style)');
    expect(() => setLoraSetScales(two.model, { nope: 1 })).toThrow(/setLoraSetScales: every LoRA set must be in the model/);
  });
});

describe('merge / unmerge', () => {
  const model = inject(Chain(Linear({ inFeatures: 4, outFeatures: 4, seed: 1 }), Linear({ inFeatures: 4, outFeatures: 4, seed: 2 })), { kind: Linear }, (t) =>
    LoraAdapter(t, lora('a', 4, 4, 2, 1), withLoraScale(lora('b', 4, 4, 1, 7), -0.5)),
  );
  it('merged output equals adapter output; the merged adapter runs the target alone; unmerge gives the weights back', async () => {
    const merged = mergeLoras(model);
    expect(merged.children.every((a) => isMerged(a))).toBe(true);
    const x = randn([3, 4], 3);
    expect(allClose(await out(merged, x), await out(model, x), { rtol: 1e-5, atol: 1e-5 })).toBe(true);
    expect(mergeLoras(merged)).toBe(merged); // already merged: unchanged
    const back = unmergeLoras(merged);
    expect(layerEquals(back, model, (a, b) => (a instanceof Float32Array && b instanceof Float32Array ? a.every((v, i) => Math.abs(v - b[i]!) < 1e-6) : undefined))).toBe(true);
  });
  it('a merged adapter refuses edits of its LoRAs; loraDelta of a fresh LoRA is zero', () => {
    const merged = mergeLoras(model);
    expect(() => setLoraScales(merged.children[0]!, { a: 2 })).toThrow(
      "setLoraScales: the adapter's LoRAs must be unmerged to change them, got a merged LoraAdapter; call unmergeLoras first",
    );
    expect(() => eject(merged, 'LoraAdapter')).toThrow('eject: the LoraAdapter adapter must be ejectable, got a merged LoraAdapter; call unmergeLoras first');
    expect(loraDelta(LinearLora('f', { inFeatures: 3, outFeatures: 2, rank: 1 }), Linear({ inFeatures: 3, outFeatures: 2 })).data.every((v) => v === 0)).toBe(true);
  });
});
