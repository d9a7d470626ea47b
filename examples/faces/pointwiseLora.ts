// The demos' adapter: a zero-initialised LoRA (rank 4) on every pointwise convolution of the face
// detector's separable blocks. Shared by the Node demo and the web demo, which both show that it
// leaves the outputs unchanged and that ejecting it gives the original tree back.
import { Conv2d, Conv2dLora, LoraAdapter, SeparableConv2d, inject, isKind, type AnyLayer } from '../../src/index.ts';

/** The 1×1 Conv2d layers inside SeparableConv2d blocks. */
function isPointwise(node: AnyLayer, entry: { readonly ancestors?: readonly AnyLayer[] }): boolean {
  return (node.attrs['kernelSize'] as readonly number[] | undefined)?.[0] === 1 && (entry.ancestors ?? []).some((a) => isKind(a, SeparableConv2d.kind));
}

/** `detector` with a zero-initialised LoRA named `demo` on each pointwise convolution. */
export function withPointwiseLora(detector: AnyLayer): AnyLayer {
  return inject(detector, { kind: Conv2d.kind, where: isPointwise }, (conv) =>
    LoraAdapter(conv, Conv2dLora('demo', {
      inChannels: conv.attrs['inChannels'] as number,
      outChannels: conv.attrs['outChannels'] as number,
      rank: 4,
      kernelSize: [1, 1],
      padding: [0, 0],
    })));
}
