import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** The contract's list parameters: `?limit=&cursor=` (the cursor is the key of the last item of the page before). */
export class PageQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 100 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ description: '上一页最后一项的游标（nextCursor）' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

/**
 * One page of a short list held in memory (agencies, users of a scope), in its given order: the items after the
 * one whose key is `cursor`, at most `limit`, and the cursor of the next page (null on the last).
 */
export function pageOf<T>(items: readonly T[], keyOf: (t: T) => string, q: PageQuery): { items: T[]; nextCursor: string | null } {
  const limit = q.limit ?? 100;
  let start = 0;
  if (q.cursor !== undefined) {
    const at = items.findIndex((t) => keyOf(t) === q.cursor);
    if (at < 0) throw DomainError.field('cursor', '游标无效，请从第一页重新查询');
    start = at + 1;
  }
  const page = items.slice(start, start + limit);
  return { items: page, nextCursor: start + limit < items.length && page.length ? keyOf(page[page.length - 1]) : null };
}
