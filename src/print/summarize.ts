// Short descriptions of values for error messages: a number's value, a tensor's shape and range.
import { formatSummary } from '../tensor/summary.ts';
import { isTensor, sizeOf, type Tensor } from '../tensor/Tensor.ts';

/** One line describing a value: numbers as themselves, tensors by `formatSummary` (shape, dtype, range). @internal */
export function summarizeValue(x: unknown): string {
  if (typeof x === 'number') return `number ${x}`;
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `array(${x.length}) [${x.slice(0, 4).map((v) => (typeof v === 'number' ? String(v) : summarizeValue(v))).join(', ')}${x.length > 4 ? ', ...' : ''}]`;
  if (typeof x === 'object' && Array.isArray((x as { shape?: unknown }).shape)) {
    // An input may be a broken tensor (the reason the run failed), or a device tensor whose values
    // cannot be read here (WebGPU, disposed): summarise only a sound, readable one.
    const t = x as Tensor;
    try {
      if (isTensor(t) && ArrayBuffer.isView(t.data) && t.data.length === sizeOf(t.shape)) return `tensor ${formatSummary(t)}`;
    } catch {
      return `tensor shape=[${t.shape.join(', ')}] dtype=${String(t.dtype)} (values not readable here)`;
    }
    return `tensor-like shape=[${t.shape.join(', ')}]`;
  }
  if (typeof x === 'function') return `function ${x.name || '(anonymous)'}`;
  if (typeof x === 'object') return 'object';
  return `${typeof x} ${String(x).slice(0, 40)}`;
}
