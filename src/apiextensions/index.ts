// CustomResourceDefinitions as kube-apiserver v1.32's apiextensions-apiserver serves them: the CRD
// strategy and acceptance, and for each CRD version its resource rows, strategy, printer, patch
// schema and OpenAPI definitions. Pure modules; src/apiserver wires them into serving.
export * from './types.js';
export { acceptCRD, crdPrinter, crdStrategy, defaultCRD, finishCRDCleanup, INSTANCE_DELETION_IN_PROGRESS, isEstablished, isTerminating, markCRDTerminating, validateCRD } from './crd-strategy.js';
export { validateCRDObject, validateCRDStatusUpdate, validateCRDUpdate } from './crd-validation.js';
export { convertCustomResource, customResourceDecodeError, customResourceStrategy, decodeCustomResource, strictDecodingMessageForCR } from './custom-resource.js';
export { customResourcePrinter } from './printer.js';
export { customResourcePatchSchema, strategicMergePatchUnsupported, SMP_UNSUPPORTED_MESSAGE, CUSTOM_RESOURCE_PATCH_TYPES } from './patch-schema.js';
export { crdResources, CUSTOM_RESOURCE_VERBS } from './resources.js';
export { customResourceOpenAPIDefinitions, customResourceDefinitionName } from './openapi.js';
export { prune } from './pruning.js';
export { applyDefaults } from './defaulting.js';
export { validateAgainstSchema } from './schema-validation.js';
export { validateStructural, isStructural } from './structural.js';
