import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors/domain-error';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id in a path names nothing the caller may see: 404, like an unknown one. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound();
    return value.toLowerCase();
  }
}
