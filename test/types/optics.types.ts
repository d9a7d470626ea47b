// Compile-time checks of the editing API (checked by `npx tsc -p tsconfig.json --noEmit`; never
// run). A layer's type does not record its children, so the compiler cannot tell whether a child
// exists; what it checks: the syntax of path literals, and the kind given to `one` / `layer` /
// `find` / `layers` typing the result.
import { Chain, Sum, find, layer, layers, select, type AnyLayer, type CheckPath, type Layer } from 'canopy-nn';
import { FakeLinear } from '../helpers/fakeLinear.ts';

declare const model: AnyLayer;
const s = select(model);

// Well-formed paths compile: names, numbered names, indices, mixed arrays, the root.
s.at('Sum.Linear_2');
s.at('Sum.0.-1');
s.at(['Sum', 1]);
s.at('');
s.at(3);
layer(model, 'Encoder.Chain_12.Resnet_1');
declare const runtimePath: string;
s.at(runtimePath); // a non-literal string (an error's path) is checked at run time

// Malformed literals do not.
// @ts-expect-error an empty segment
s.at('Sum..Linear');
// @ts-expect-error a trailing dot
s.at('Sum.');
// @ts-expect-error names are numbered from _1
layer(model, 'Sum.Linear_0');
// @ts-expect-error no leading zeros
layer(model, 'Sum.Linear_01', FakeLinear);
// @ts-expect-error a segment is a kind name or an index
s.atKind(Sum).at('Sum.2x');
// @ts-expect-error a segment must not start with an underscore
s.at('_private');

// The explanation is in the type.
const why: CheckPath<'Sum..Linear'> = 'invalid path: empty segment (two dots, or a dot at an end)';
void why;

// The kind types the result.
type LinearLayer = ReturnType<typeof FakeLinear>;
const lin: LinearLayer = layer(model, 'Sum.Linear_2', FakeLinear);
const linAttrs: Layer<[number], number> = lin;
void linAttrs;
const maybe: LinearLayer | undefined = find(model, FakeLinear);
const all: LinearLayer[] = layers(model, FakeLinear, true);
const viaSelect: LinearLayer = s.at('Linear').one(FakeLinear);
const untyped: AnyLayer = s.at('Linear').one();
void [maybe, all, viaSelect, untyped];
// @ts-expect-error the result is typed as a Linear (number to number), not as a string layer
const wrong: Layer<[string], string> = layer(model, 'Linear', FakeLinear);
// @ts-expect-error so is one(kind)'s
const wrong2: Layer<[string], string> = s.at('Linear').one(FakeLinear);
void [wrong, wrong2];
void Chain;
