// Server-side apply and managedFields, as kube-apiserver v1.32 (structured-merge-diff v4 and the
// managedfields field manager): the small surface the request path uses.

export { FieldSet, pathString, type Path, type PathElement } from './fieldpath.js';
export { decodeManagedFields, encodeManagedFields, type ManagedFieldsEntry } from './managedfields.js';
export { conflictError, conflictMessage } from './conflict.js';
export {
  apply,
  buildLastApplied,
  fieldSetOf,
  LAST_APPLIED_ANNOTATION,
  STRIPPED_FIELDS,
  trackUpdate,
  type ApplyOptions,
  type FieldManagerOptions,
  type TrackUpdateOptions,
} from './fieldmanager.js';
export { defaultManagerFromUserAgent, fieldManagementErrors, managerOrUserAgent, type FieldManagementOptions } from './options.js';
