// Bad input: every error names the path (in the one convention: no root name) and says what is
// there instead (exact texts). The Chain API's errors are select's: each wrapper is a use of it.
import { describe, expect, it } from 'vitest';
import {
  Chain,
  CanopyError,
  Identity,
  Sum,
  childAt,
  ensureFind,
  ensureFindParent,
  insert,
  insertAfterKind,
  layer,
  pop,
  remove,
  runSync,
  select,
  sliceChain,
} from 'canopy-nn';
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
    expect(e.message).toBe('select(model).at: "Sum.Linear_3" must exist, got no child "Linear_3" under "Sum" (children: Linear_1, Linear_2)');
    expect(select(model).at(e.path!).one()).toBe(model.children[0]); // the path it reports selects where it stopped
  });

  it("at the root: the root's own name is not part of a path", () => {
    expect(caught(() => select(model).at('Chain.Sum')).message).toBe(
      'select(model).at: "Chain.Sum" must exist, got no child "Chain" under the root (children: Sum, Identity)',
    );
  });

  it('below a leaf', () => {
    expect(caught(() => layer(model, 'Identity.x')).message).toBe(
      'select(model).at: "Identity.x" must exist, got no child "x" under "Identity" (Identity has no children)',
    );
  });

  it('a missing child name', () => {
    expect(caught(() => childAt(Chain(linear(1, 1), linear(1, 1)), 'Linear_3')).message).toBe(
      'select(model).at: "Linear_3" must exist, got no child "Linear_3" under the root (children: Linear_1, Linear_2)',
    );
  });

  it('a relative path missing under a selected node reports the path from the root', () => {
    const e = caught(() => select(model).atKind(Sum).at('Linear_9'));
    expect(e.message).toBe(
      'select(model).atKind(Sum).at: "Linear_9" must exist, got no child "Linear_9" under the root (children: Linear_1, Linear_2), relative to the selected node "Sum"',
    );
    expect(e.path).toBe('Sum');
  });
});

describe('an index out of range', () => {
  it('in a path', () => {
    expect(caught(() => layer(model, [0, 5])).message).toBe(
      'select(model).at: "0.5" must exist, got index 5 out of range [-2, 1] under "Sum" (children: Linear_1, Linear_2)',
    );
  });

  it('in pop', () => {
    expect(caught(() => pop(model, 2)).message).toBe(
      'select(model).children().nth(2): index must be in [-2, 1], got 2; searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => pop(Chain())).message).toBe(
      'select(model).children().nth(-1): index must be in an empty range (none selected), got -1; searched from the root (Chain has no children)',
    );
  });

  it('in remove by index or node', () => {
    expect(caught(() => remove(model, 7)).message).toBe(
      'select(model).at: "7" must exist, got index 7 out of range [-2, 1] under the root (children: Sum, Identity)',
    );
    expect(caught(() => remove(model, linear(1, 1))).message).toBe(
      'select(model).children().where(...).nth(0): index must be in an empty range (none selected), got 0; searched from the root (children: Sum, Identity)',
    );
  });

  it('insert clamps instead (Refiners rule) but rejects a non-integer index', () => {
    expect(insert(model, 99, Identity()).children.length).toBe(3);
    expect(caught(() => insert(model, 0.5, Identity())).message).toBe('select(model).insertChild(0.5): index must be an integer, got 0.5');
    expect(caught(() => sliceChain(model, 0, 1, 0)).message).toBe('sliceChain: step must be a non-zero integer, got 0');
  });
});

describe('a kind assertion that fails', () => {
  it('names both kinds and the path', () => {
    const e = caught(() => layer(model, 'Sum.Linear_1', FakeConv2d));
    expect(e.code).toBe('structure');
    expect(e.path).toBe('Sum.Linear_1');
    expect(e.message).toBe('select(model).at("Sum.Linear_1").one(Conv2d): the node at "Sum.Linear_1" must be a Conv2d, got a Linear (at Sum.Linear_1)');
    expect(caught(() => layer(model, [], Sum)).message).toBe('select(model).at([]).one(Sum): the node at "" must be a Sum, got a Chain (at the root)');
  });

  it('ensureFind, insertAfterKind and ensureFindParent name the query that found nothing', () => {
    expect(caught(() => ensureFind(model, FakeConv2d)).message).toBe(
      'select(model).atKind(Conv2d).ensureSome(): at least one node must be selected, got 0; searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => insertAfterKind(model, FakeLinear, Identity())).message).toBe(
      'select(model).children().where(Linear).nth(0): index must be in an empty range (none selected), got 0; searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => ensureFindParent(model, Identity())).message).toMatch(/^select\(model\)\.atDescendants\(\.\.\.\)\.ensureSome\(\): at least one node/);
  });

  it('insert into a leaf', () => {
    expect(caught(() => insert(linear(1, 1), 0, Identity())).message).toBe(
      'select(model).insertChild(0): the selected node must be a container (Chain, Sum, ...), got a Linear leaf (at the root)',
    );
    const e = caught(() => select(model).at('Identity').insertChild(0, Identity()));
    expect(e.message).toBe(
      'select(model).at("Identity").insertChild(0): the selected node must be a container (Chain, Sum, ...), got a Identity leaf (at Identity)',
    );
    expect(e.path).toBe('Identity');
  });
});

describe('a selection that matches nothing where one match is required', () => {
  it('names the query and the children it searched', () => {
    expect(caught(() => select(model).atKind(FakeConv2d).one()).message).toBe(
      'select(model).atKind(Conv2d).one(): exactly one node must be selected, got 0; searched from the root (children: Sum, Identity)',
    );
    expect(caught(() => select(model).atKind(FakeLinear).ensureOne()).message).toBe(
      'select(model).atKind(Linear).ensureOne(): exactly one node must be selected, got 2 (Sum.Linear_1, Sum.Linear_2); searched from the root (children: Sum, Identity)',
    );
  });

  it('removing or inserting next to the root, which has no parent', () => {
    expect(caught(() => select(model).remove()).message).toBe(
      'select(model).remove(): every selected node must have a parent, got the root; narrow the selection first (root children: Sum, Identity)',
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
    const m2 = insert(Chain(shared, shared), 1, shared);
    expect(m2.children[0]).toBe(m2.children[1]);
    expect(m2.children[1]).toBe(m2.children[2]);
    expect(runSync(m2, [1]).output).toBe(8);
    // Editing one place through a path edits that place only: the other occurrences keep the old value.
    const m3 = select(m2).at('Chain_2.Linear').set(Identity());
    expect(m3.children[0]).toBe(shared);
    expect(m3.children[2]).toBe(shared);
    expect(runSync(m3, [1]).output).toBe(4);
  });
});
