// canopy's models assembled from layers: real networks whose weights come from other frameworks.
export * from './faceapi/index.ts';
