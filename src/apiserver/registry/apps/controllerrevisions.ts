// apps/v1 ControllerRevision: immutable snapshots of a controller's template (ValidateControllerRevision).
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { unset, validateImmutable } from './fields.js';

/** ValidateControllerRevision without ObjectMeta. */
export function validateControllerRevision(obj: { data?: unknown; revision?: unknown; [k: string]: unknown }): FieldError[] {
  const errs: FieldError[] = [];
  if (unset(obj.data)) errs.push(field.required('data', 'data is mandatory'));
  errs.push(...validateNonnegativeField(obj.revision, 'revision'));
  return errs;
}

/** The apps/v1 controllerrevisions strategy: data never changes once written. */
export const controllerRevisionStrategy = {
  validate: (obj) => validateControllerRevision(obj),
  validateUpdate: (obj, old) => validateImmutable(obj.data, old.data, 'data'),
} satisfies Strategy;
