// Bad input: every error names the path and says what is there instead (exact texts).
import { describe, expect, it } from 'vitest';
import { Chain, CanopyError, Identity, Sum, runSync } from 'canopy';
import {
  atPath,
  childAt,
  ensureFind,
  ensureFindParent,
  insert,
  insertAfterKind,
  layer,
  pop,
  remove,
  select,
  sliceChain,
} from '../../src/optics/index.ts';
import { FakeLinear, linear } from '../helpers/fakeLinear.ts';
import { FakeConv2d } from './helpers.ts';

const model = Chain(Sum(linear(1, 1), linear(1, 1)), Identity());

function caught(f: () => unknown): CanopyError {
  try {
    f();
  } catch (e) {
    if (e instanceof CanopyError) return e;
    throw e;
  }
  throw new Error('expected a CanopyError');
}

describe('a path that does not exist', () => {
  it('names the failing step, where it was looked for, and the children there', () => {
    const e = caught(() => layer(model, 'Sum.Linear_3'));
    expect(e.code).toBe('path');
    expect(e.path).toBe('Sum');
    expect(e.message).toBe('layer: "Sum.Linear_3" must exist, got no child "Linear_3" under "Sum" (children: Linear_1, Linear_2)');
  });

  it('at the root', () => {
    expect(caught(() => atPath('Chain.Sum').get(model)).message).toBe(
      'atPath: "Chain.Sum" must exist, got no child "Chain" under the root (children: Sum, Identity)',
    );
  });

  it('below a leaf', () => {
    expect(caught(() => layer(model, 'Identity.x')).message).toBe(
      'layer: "Identity.x" must exist, got no child "x" under "Identity" (Identity has no children)',
    );
  });

  it('a missing child name', () => {
    expect(caught(() => childAt(Chain(linear(1, 1), linear(1, 1)), 'Linear_3')).message).toBe(
      'childAt: "Linear_3" must exist, got no child "Linear_3" under the root (children: Linear_1, Linear_2)',
    );
  });
});

describe('an index out of range', () => {
  it('in a path', () => {
    expect(caught(() => layer(model, [0, 5])).message).toBe(
      'layer: "0.5" must exist, got index 5 out of range [-2, 1] under "Sum" (children: Linear_1, Linear_2)',
    );
  });

  it('in pop', () => {
    expect(caught(() => pop(model, 2)).message).toBe('pop: index must be in [-2, 1], got 2 under the root (children: Sum, Identity)');
    expect(caught(() => pop(Chain())).message).toBe('pop: index must be in an empty range (no children), got -1 under the root (Chain has no children)');
  });

  it('in remove by index or name', () => {
    expect(caught(() => remove(model, 7)).message).toBe(
      'remove: the layer must be a direct child of the root, got index 7 (children: Sum, Identity)',
    );
    expect(caught(() => remove(model, linear(1, 1))).message).toBe(
      'remove: the layer must be a direct child of the root, got a Linear that is not one of them (children: Sum, Identity)',
    );
  });

  it('insert clamps instead (Refiners rule) but rejects a non-integer index', () => {
    expect(insert(model, 99, Identity()).children.length).toBe(3);
    expect(caught(() => insert(model, 0.5, Identity())).message).toBe('insert: index must be an integer, got 0.5');
    expect(caught(() => sliceChain(model, 0, 1, 0)).message).toBe('sliceChain: step must be a non-zero integer, got 0');
  });
});

describe('a kind assertion that fails', () => {
  it('names both kinds and the path', () => {
    const e = caught(() => layer(model, 'Sum.Linear_1', FakeConv2d));
    expect(e.code).toBe('structure');
    expect(e.message).toBe('layer: the node at "Sum.Linear_1" must be a Conv2d, got a Linear (at Sum.Linear_1)');
    expect(caught(() => layer(model, [], Sum)).message).toBe('layer: the node at "" must be a Sum, got a Chain (at the root)');
  });

  it('ensureFind and insertAfterKind list the children', () => {
    expect(caught(() => ensureFind(model, FakeConv2d)).message).toBe(
      'ensureFind: a Conv2d must exist under the root, got none (children: Sum, Identity)',
    );
    expect(caught(() => insertAfterKind(model, FakeLinear, Identity())).message).toBe(
      'insertAfterKind: a direct child of kind Linear must exist, got none under the root (children: Sum, Identity)',
    );
    expect(caught(() => ensureFindParent(model, Identity())).message).toBe(
      'ensureFindParent: the Identity must be a descendant of the model, got no occurrence (children of the root: Sum, Identity)',
    );
  });

  it('insert into a leaf', () => {
    expect(caught(() => insert(linear(1, 1), 0, Identity())).message).toBe(
      'insert: the target must be a container (Chain, Sum, ...), got a Linear leaf',
    );
  });
});

describe('a selection that matches nothing where one match is required', () => {
  it('names the query and the children it searched', () => {
    const e = caught(() => select(model).atKind(FakeConv2d).one());
    expect(e.message).toBe(
      'select(model).atKind(Conv2d).one(): exactly one node must be selected, got 0; searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => select(model).atKind(FakeLinear).ensureOne()).message).toBe(
      'select(model).atKind(Linear).ensureOne(): exactly one node must be selected, got 2 (Sum.Linear_1, Sum.Linear_2); searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => select(model).atKind(FakeConv2d).ensureSome()).message).toMatch(/^select\(model\)\.atKind\(Conv2d\)\.ensureSome\(\): at least one node must be selected, got 0/);
  });

  it('a relative path missing under a selected node', () => {
    expect(caught(() => select(model).atKind(Sum).at('Linear_9')).message).toBe(
      'select(model).atKind(Sum).at: "Linear_9" must exist, got no child "Linear_9" under the root (children: Linear_1, Linear_2), relative to the selected node "Sum"',
    );
  });

  it('removing or inserting next to the root, which has no parent', () => {
    expect(caught(() => select(model).remove()).message).toBe(
      'select(model).remove: every selected node must have a parent, got the root; narrow the selection first (root children: Sum, Identity)',
    );
  });

  it('an empty selection edits nothing: the same root comes back', () => {
    expect(select(model).atKind(FakeConv2d).remove()).toBe(model);
  });
});

describe('a node under two parents', () => {
  // In Refiners a ContextModule has one parent, and inserting it elsewhere fails. A canopy layer
  // is a value with no parent pointer, so the same value in two places is legal sharing (like
  // Refiners' shared weight leaves): there is nothing to break and no error to raise.
  it('is legal sharing: both places hold the same object and the model runs', () => {
    const shared = Chain(linear(1, 2));
    const m = Chain(shared, shared);
    const m2 = insert(m, 1, shared);
    expect(m2.children[0]).toBe(m2.children[1]);
    expect(m2.children[1]).toBe(m2.children[2]);
    expect(runSync(m2, [1]).output).toBe(8);
    // Editing one place through a path edits that place only: the other occurrences keep the old value.
    const m3 = atPath('Chain_2.Linear').set(Identity())(m2);
    expect(m3.children[0]).toBe(shared);
    expect(m3.children[2]).toBe(shared);
    expect(runSync(m3, [1]).output).toBe(4);
  });
});
