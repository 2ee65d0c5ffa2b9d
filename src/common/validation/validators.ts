import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { isIsoDate as isIsoDateString } from '../../statute/iso-date';

/** A real calendar date written YYYY-MM-DD (2024-02-30 is refused). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => typeof v === 'string' && isIsoDateString(v) },
    });
}

/**
 * An object whose keys are all in `keys` and whose values are strings of 1 to `maxLength`
 * characters not matching `forbidden` (settings keyed by a fixed catalogue).
 */
export function IsStringMap(keys: readonly string[], maxLength: number, forbidden?: RegExp, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStringMap',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `$property: keys must be among ${keys.join(', ')}; values 1–${maxLength} characters`, ...options },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.entries(v).every(([k, s]) => keys.includes(k) && typeof s === 'string' && s.trim().length >= 1 && s.length <= maxLength && !(forbidden && forbidden.test(s))),
      },
    });
}

/**
 * Like `@IsOptional()`, but only for an absent field: `null` is validated (and refused by the field's other
 * rules). For PATCH fields whose column cannot be empty, where `null` would otherwise reach the database.
 */
export function Omittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_o: object, value: unknown) => value !== undefined, options);
}

/**
 * An amount of money in yuan: a finite number of whole fen (at most two decimals). class-validator's
 * `maxDecimalPlaces` reads the decimals from the number's text, so `5e-323` passed it.
 */
export function IsAmount(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAmount',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.round(v * 100) / 100 === v },
    });
}
