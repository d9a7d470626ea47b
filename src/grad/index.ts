// Reverse-mode differentiation: gradient trees of a model's own shape, recorded at the backend seam.
export { valueAndGrad, grad, type LossFn, type GradOptions, type ValueAndGrad } from './valueAndGrad.ts';
export { zipParams, isTrainable } from './tree.ts';
export { vjpRules, type PrimitiveMethod, type VjpRule } from './vjp.ts';
