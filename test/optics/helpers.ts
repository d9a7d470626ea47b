// Small leaf kinds for optics tests: a Conv2d stand-in (a second kind beside the shared
// FakeLinear) and `Leaf`, a numeric leaf compared by value (its attribute `v`).
import { defineLayer } from 'canopy-nn';

export const FakeConv2d = defineLayer({
  name: 'Conv2d',
  forward: ([x]: [number], { attrs: a }: { attrs: { in_channels: number; out_channels: number; kernel_size: number } }) => x * a.out_channels,
});

export const conv2d = (inChannels: number, outChannels: number, kernelSize: number) =>
  FakeConv2d({ in_channels: inChannels, out_channels: outChannels, kernel_size: kernelSize });

/** A leaf that adds its attribute `v` to its input. */
export const Leaf = defineLayer({ name: 'Leaf', forward: ([x]: [number], { attrs: a }: { attrs: { v: number } }) => x + a.v });
