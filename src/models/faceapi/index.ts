// face-api's tiny face detector and tiny 68-point landmark net, as canopy trees.
export { SamePad, samePadding, type SamePadOptions } from './SamePad.ts';
export { ImageNormalize, type ImageNormalizeOptions } from './ImageNormalize.ts';
export { SeparableConv2d, type SeparableConv2dOptions } from './SeparableConv2d.ts';
export {
  TinyFaceDetector, tinyFaceDetectorKeyMap, tinyFaceDetectorAnchors, tinyFaceDetectorMeanRgb,
} from './TinyFaceDetector.ts';
export {
  FaceLandmark68Tiny, DenseBlock, type DenseBlockOptions, faceLandmark68TinyKeyMap, faceLandmark68TinyMeanRgb,
} from './FaceLandmark68Tiny.ts';
export { rgbFromRgba, padToSquare, resizeBilinear, cropImage, toNetInput, netInputTensor, imagesToTensor, type RgbImage, type Box } from './image.ts';
export { decodeDetections, nonMaxSuppression, iou, type Detection, type DecodeDetectionsOptions } from './detections.ts';
export { landmarksFromOutput, type Point } from './landmarks.ts';
export { fetchFaceApiModels, faceApiModelsFromWeights, faceApiManifests, type FaceApiModels } from './weights.ts';
export { detectFaces, detectorOutput, type DetectFacesOptions, type DetectedFace, type FaceStage } from './detectFaces.ts';
