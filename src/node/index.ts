// canopy-nn/node: what needs Node's file system. Weights from files and folders (safetensors read
// lazily through a file handle, tfjs manifests and their shards, face-api's model folder); the
// main entry keeps to web APIs (bytes, Responses, URLs) so that it bundles for a page.
export {
  openSafetensors,
  withSafetensors,
  readSafetensorsFile,
  loadSafetensorsFile,
  writeSafetensorsFile,
  type SafetensorsReader,
} from './safetensorsFile.ts';
export { readTfjsWeightsFile, loadTfjsWeightsFile } from './tfjsFile.ts';
export { loadFaceApiModels, readFaceApiStateDict, faceApiModelDir } from './faceApi.ts';
