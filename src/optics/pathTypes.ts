// Compile-time checks of path strings. A layer's type does not record its children (so that
// types do not grow with depth, see ARCHITECTURE §7), so the compiler cannot know whether a
// child exists; it can still reject a malformed path literal: an empty segment, a numbered name
// `_0` or `_01` (names are numbered from 1), a segment that is neither a name nor an index.
// A non-literal `string` is accepted and checked at run time.

// --- model

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Lower = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';
type Letter = Lower | Uppercase<Lower>;

type IsIndex<S extends string> = S extends `-${infer R}` ? IsDigits<R> : IsDigits<S>;
type IsDigits<S extends string> = S extends `${Digit}${infer R}` ? (R extends '' ? true : IsDigits<R>) : false;

/** Why a segment is malformed, or `true`. */
type SegmentError<S extends string> = S extends ''
  ? 'empty segment (two dots, or a dot at an end)'
  : IsIndex<S> extends true
    ? true
    : S extends `${Digit}${string}`
      ? `segment "${S}" starts with a digit but is not an index`
      : S extends `${Letter}${string}`
        ? S extends `${string}_${infer N}`
          ? IsDigits<N> extends true
            ? N extends `0${string}`
              ? `segment "${S}": names are numbered from _1 without leading zeros`
              : true
            : true
          : true
        : `segment "${S}" must start with a letter (a kind name) or be an index`;

type PathError<P extends string> = P extends `${infer Head}.${infer Rest}`
  ? SegmentError<Head> extends true
    ? PathError<Rest>
    : SegmentError<Head>
  : SegmentError<P>;

/**
 * `P` when it is a well-formed path (or `''`, the root, or a non-literal `string`), else a string
 * literal type that explains the problem, so a malformed literal fails to compile.
 *
 * @example
 * ```ts
 * import type { CheckPath } from 'canopy-nn';
 * type Ok = CheckPath<'Sum.Linear_2'>; // 'Sum.Linear_2'
 * type Bad = CheckPath<'Sum..Linear'>; // 'invalid path: empty segment (two dots, or a dot at an end)'
 * ```
 */
export type CheckPath<P extends string> = string extends P
  ? P
  : P extends ''
    ? P
    : PathError<P> extends true
      ? P
      : `invalid path: ${PathError<P> & string}`;

/**
 * The parameter type of functions taking a path: a string literal is checked by
 * {@link CheckPath}; arrays of steps pass as they are.
 *
 * @example
 * ```ts
 * import type { ValidPath } from 'canopy-nn';
 * type Ok = ValidPath<['Sum', 0]>; // ['Sum', 0]
 * ```
 */
export type ValidPath<P> = P extends string ? CheckPath<P> : P;
