// Short descriptions of values for error messages: a number's value, a tensor's shape and range.

/** One line describing a value: numbers as themselves, tensors as shape, dtype, min, max, mean. @internal */
export function summarizeValue(x: unknown): string {
  if (typeof x === 'number') return `number ${x}`;
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `array(${x.length}) [${x.slice(0, 4).map(summarizeShort).join(', ')}${x.length > 4 ? ', ...' : ''}]`;
  if (typeof x === 'object' && Array.isArray((x as { shape?: unknown }).shape)) return summarizeTensorLike(x as TensorLike);
  if (typeof x === 'function') return `function ${x.name || '(anonymous)'}`;
  if (typeof x === 'object') return 'object';
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype?: string;
  readonly data?: ArrayLike<number>;
}

function summarizeShort(x: unknown): string {
  return typeof x === 'number' ? String(x) : summarizeValue(x);
}

function summarizeTensorLike(t: TensorLike): string {
  const head = `tensor shape=[${t.shape.join(', ')}] dtype=${t.dtype ?? '?'}`;
  const data = t.data;
  if (data === undefined || data.length === 0) return head;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nan = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nan++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
  }
  const mean = sum / Math.max(1, data.length - nan);
  return `${head} min=${fmt(min)} max=${fmt(max)} mean=${fmt(mean)}${nan > 0 ? ` nan=${nan}` : ''}`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}
