// The gpu.js backend's public surface.
export { createGpujsBackend, defaultGpujsMode } from './GpujsBackend.ts';
export type { GpujsBackend, GpujsBackendOptions } from './GpujsBackend.ts';
export type { DeviceStats, DeviceStatsOptions } from './resident.ts';
export { gpujsModes, modeUnavailableReason } from './runtime.ts';
export type { GpujsMode } from './runtime.ts';
