// A stand-in with Refiners' Linear printing (`in_features`, `out_features`, device, dtype), so
// core tests reproduce Refiners' fixtures without depending on the tensor layers.
import { defineLayer } from 'canopy-nn';

export const FakeLinear = defineLayer({
  name: 'Linear',
  forward: ([x]: [number], { attrs: a }: { attrs: { in_features: number; out_features: number; device: string; dtype: string } }) =>
    x * a.out_features,
});

export const linear = (inFeatures: number, outFeatures: number) =>
  FakeLinear({ in_features: inFeatures, out_features: outFeatures, device: 'cpu', dtype: 'float32' });
