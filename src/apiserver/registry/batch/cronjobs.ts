// batch/v1 CronJob: SetDefaults_CronJob and ValidateCronJobCreate/Update: a parseable schedule
// without TZ=, a known timeZone, a jobTemplate whose selector the controller will generate.
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateNonnegativeField } from '../../../apimachinery/validation.js';
import { goLabelSelector } from '../../../apimachinery/go-syntax.js';
import { defaultPodTemplateSpec } from '../core/pod-defaults.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, unset, type Obj } from '../apps/fields.js';
import { isKnownTimeZone, parseStandardError } from './cron.js';
import { validateJobSpecCommon } from './jobs.js';

/** Job names are <cronjob>-<minutes since epoch>: 11 characters of a 63-character label. */
export const MAX_CRONJOB_NAME_LENGTH = 52;

/** SetDefaults_CronJob: Allow, not suspended, keep 3 successful and 1 failed job. */
export function defaultCronJob(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (unset(spec.suspend)) spec.suspend = false;
  if (unset(spec.successfulJobsHistoryLimit)) spec.successfulJobsHistoryLimit = 3;
  if (unset(spec.failedJobsHistoryLimit)) spec.failedJobsHistoryLimit = 1;
  defaultPodTemplateSpec(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'));
}

/** validateScheduleFormat. */
export function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parseErr = parseStandardError(schedule);
  if (parseErr !== undefined) errs.push(field.invalid(path, schedule, parseErr));
  if (allowTZ && schedule.includes('TZ') && !unset(timeZone)) {
    errs.push(field.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(field.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone: an explicit IANA zone name. */
export function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (unset(tz)) return [];
  const s = String(tz);
  if (s.length === 0) return [field.invalid(path, s, 'timeZone must be nil or non-empty string')];
  for (const part of s.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TZ_PART.test(part)) {
      return [field.invalid(path, s, `unknown time zone ${s}`)];
    }
  }
  const errs: FieldError[] = [];
  if (s.toLowerCase() === 'local') {
    errs.push(field.invalid(path, s, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  }
  if (!isKnownTimeZone(s)) errs.push(field.invalid(path, s, `unknown time zone ${s}`));
  return errs;
}

/** ValidateJobTemplateSpec: the job rules, with a selector left for the controller to generate. */
export function validateJobTemplateSpec(tmpl: Obj, path: string): FieldError[] {
  const spec: Obj = isObj(tmpl.spec) ? tmpl.spec : {};
  const errs = validateJobSpecCommon(spec, `${path}.spec`);
  if (!unset(spec.selector)) errs.push(field.invalidRaw(`${path}.spec.selector`, goLabelSelector(spec.selector), '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(field.notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  return errs;
}

/** validateCronJobSpec; oldSpec is set on update. */
export function validateCronJobSpec(spec: Obj, oldSpec: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule.length === 0) errs.push(field.required(`${path}.schedule`));
  else {
    const allowTZ = typeof oldSpec?.schedule === 'string' && oldSpec.schedule.includes('TZ');
    errs.push(...validateSchedule(schedule, allowTZ, spec.timeZone, `${path}.schedule`));
  }
  errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, `${path}.startingDeadlineSeconds`));
  if (oldSpec === undefined || (oldSpec.timeZone ?? null) !== (spec.timeZone ?? null)) {
    errs.push(...validateTimeZone(spec.timeZone, `${path}.timeZone`));
  }
  const policy = spec.concurrencyPolicy ?? '';
  if (policy === '') errs.push(field.required(`${path}.concurrencyPolicy`));
  else if (!['Allow', 'Forbid', 'Replace'].includes(policy)) errs.push(field.notSupported(`${path}.concurrencyPolicy`, policy, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplateSpec(isObj(spec.jobTemplate) ? spec.jobTemplate : {}, `${path}.jobTemplate`));
  errs.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, `${path}.successfulJobsHistoryLimit`));
  errs.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, `${path}.failedJobsHistoryLimit`));
  return errs;
}

/** ValidateCronJobCreate without ObjectMeta. */
export function validateCronJob(obj: KubeObject): FieldError[] {
  const errs = validateCronJobSpec(isObj(obj.spec) ? obj.spec : {}, undefined, 'spec');
  const name = obj.metadata.name ?? '';
  if (name.length > MAX_CRONJOB_NAME_LENGTH) {
    errs.push(field.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME_LENGTH} characters`));
  }
  return errs;
}

/** The batch/v1 cronjobs strategy. */
export const cronJobStrategy = {
  tracksGeneration: true,
  defaults: defaultCronJob,
  validate: (obj) => validateCronJob(obj),
  // Upstream's update rules relax two create rules (TZ kept from an old schedule, an unchanged
  // timeZone); the store also runs validate on update, so those relaxations need its help (see report).
  validateUpdate: (obj, old) => validateCronJobSpec(isObj(obj.spec) ? obj.spec : {}, isObj(old.spec) ? old.spec : {}, 'spec'),
} satisfies Strategy;
