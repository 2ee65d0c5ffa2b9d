import { registerDecorator, ValidationOptions } from 'class-validator';
import { isIsoDate as isIsoDateString } from '../../calendar/iso-date';

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
