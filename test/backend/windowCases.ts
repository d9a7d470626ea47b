// Convolution and pooling cases for the device kernels that compute four outputs per thread: row
// ends, plane ends, the tail (sizes not multiples of 4), groups, stride 2, dilation, padding. Shared
// by the Node test (gpu.js cpu mode, residency emulated) and the Chromium page (WebGPU, WebGL2).
// Each runs on a host input and on a device one (a packed result, which WebGL2 and the cpu mode
// read by quads: rows that start on a quad or at one or two known offsets into one, planes that
// hold a multiple of 4 values or not).
import type { Conv2dParams, Pool2dParams, PoolOp } from '../../src/backend/Backend.ts';

/** `[input shape, weight shape, params, with a bias + leaky ReLU epilogue]`. */
export const convCases: [number[], number[], Conv2dParams, boolean][] = [
  [[2, 3, 7, 9], [5, 3, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, true],
  [[1, 3, 8, 11], [4, 3, 3, 3], { stride: [2, 2], dilation: [1, 2], padding: [0, 1, 1, 0], groups: 1 }, false],
  [[1, 6, 6, 5], [6, 1, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 6 }, true],
  [[1, 4, 7, 6], [8, 2, 3, 3], { stride: [2, 1], dilation: [1, 1], padding: [1, 0, 2, 1], groups: 2 }, true],
  [[1, 8, 5, 3], [7, 8, 1, 1], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, true],
  [[2, 5, 4, 6], [3, 5, 1, 1], { stride: [2, 2], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, false],
  [[1, 2, 9, 11], [3, 2, 5, 5], { stride: [1, 1], dilation: [1, 1], padding: [2, 2, 2, 2], groups: 1 }, true],
  [[1, 6, 6, 7], [4, 6, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, false],
  [[1, 2, 3, 3], [2, 2, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, true],
  [[1, 16, 13, 13], [16, 1, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 16 }, true],
  [[1, 3, 8, 12], [4, 3, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, true],
  [[1, 3, 10, 12], [5, 3, 3, 3], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, false],
  [[1, 4, 8, 8], [4, 4, 3, 3], { stride: [2, 2], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 }, true],
  [[2, 8, 4, 6], [12, 8, 1, 1], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, true],
  [[1, 6, 4, 4], [4, 3, 1, 1], { stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], groups: 2 }, false],
];

/** Pooling cases: `[input shape, op, params]`. */
export const poolCases: [number[], PoolOp, Pool2dParams][] = [
  [[2, 3, 9, 7], 'max', { kernel: [2, 2], stride: [2, 2], padding: [0, 0], outShape: [4, 3], countIncludePad: false }],
  [[2, 3, 9, 7], 'max', { kernel: [3, 3], stride: [1, 1], padding: [1, 1], outShape: [9, 7], countIncludePad: false }],
  [[2, 3, 9, 7], 'max', { kernel: [2, 2], stride: [1, 1], padding: [0, 0], outShape: [8, 6], countIncludePad: false }],
  [[2, 3, 9, 7], 'avg', { kernel: [3, 3], stride: [2, 2], padding: [1, 1], outShape: [5, 4], countIncludePad: true }],
  [[2, 3, 9, 7], 'avg', { kernel: [3, 2], stride: [2, 1], padding: [1, 1], outShape: [5, 8], countIncludePad: false }],
  [[1, 2, 6, 16], 'max', { kernel: [2, 2], stride: [2, 2], padding: [0, 0], outShape: [3, 8], countIncludePad: false }],
  [[1, 2, 5, 12], 'avg', { kernel: [3, 3], stride: [1, 1], padding: [1, 1], outShape: [5, 12], countIncludePad: false }],
];
