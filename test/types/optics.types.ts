// Compile-time checks of the optics (checked by `npx tsc -p tsconfig.json --noEmit`; never run).
// A layer's type does not record its children, so the compiler cannot tell whether a child
// exists; what it checks: the syntax of path literals, and the kind at a path's end typing the
// result of `layer` / `atPathOfKind` / `find` / `layers` / `ofKind`.
import { Chain, Sum, type AnyLayer, type Layer } from 'canopy';
import { atPath, atPathOfKind, find, layer, layers, ofKind, viewAll, type CheckPath } from '../../src/optics/index.ts';
import { FakeLinear } from '../helpers/fakeLinear.ts';

declare const model: AnyLayer;

// Well-formed paths compile: names, numbered names, indices, mixed arrays, the root.
atPath('Sum.Linear_2');
atPath('Sum.0.-1');
atPath(['Sum', 1]);
atPath('');
atPath(3);
layer(model, 'Encoder.Chain_12.Resnet_1');
declare const runtimePath: string;
atPath(runtimePath); // a non-literal string is checked at run time

// Malformed literals do not.
// @ts-expect-error an empty segment
atPath('Sum..Linear');
// @ts-expect-error a trailing dot
atPath('Sum.');
// @ts-expect-error names are numbered from _1
layer(model, 'Sum.Linear_0');
// @ts-expect-error no leading zeros
layer(model, 'Sum.Linear_01', FakeLinear);
// @ts-expect-error a segment is a kind name or an index
atPathOfKind('Sum.2x', Sum);
// @ts-expect-error a segment must not start with an underscore
atPath('_private');

// The explanation is in the type.
const why: CheckPath<'Sum..Linear'> = 'invalid path: empty segment (two dots, or a dot at an end)';
void why;

// The kind at the end types the result.
type LinearLayer = ReturnType<typeof FakeLinear>;
const lin: LinearLayer = layer(model, 'Sum.Linear_2', FakeLinear);
const linAttrs: Layer<[number], number> = lin;
void linAttrs;
const maybe: LinearLayer | undefined = find(model, FakeLinear);
const all: LinearLayer[] = layers(model, FakeLinear, true);
const viaLens: LinearLayer = atPathOfKind('Linear', FakeLinear).get(model);
const viaTraversal: readonly LinearLayer[] = viewAll(ofKind(FakeLinear))(model);
void [maybe, all, viaLens, viaTraversal];
// @ts-expect-error the result is typed as a Linear (number to number), not as a string layer
const wrong: Layer<[string], string> = layer(model, 'Linear', FakeLinear);
void wrong;
void Chain;
