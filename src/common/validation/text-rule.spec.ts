import 'reflect-metadata';
import fc from 'fast-check';
import { IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { checkLineBreaks, checkText, createValidationPipe } from './validation.pipe';

const CONTROL = [...Array(0x20).keys(), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)].filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d).map((c) => String.fromCharCode(c));

class Inner {
  @IsString() @MaxLength(100) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
class Outer {
  @IsString() @MaxLength(100) title!: string;
  @IsString() @MaxLength(5000) description!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

const fieldOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return (e.details.fields as { field: string }[])[0].field;
  }
};

describe('the text rule', () => {
  it('refuses every control character but LF, CR and TAB, and every lone surrogate, at any depth, naming the field', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...CONTROL, '\ud800', '\udfff', 'a\udc00'), fc.string(), (a, bad, b) => {
        expect(fieldOf(() => checkText({ x: [{ y: `${a}${bad}${b}` }] }, ''))).toBe('x.0.y');
        expect(fieldOf(() => checkText(`${a}${bad}${b}`, 'q'))).toBe('q');
      }),
    );
  });

  it('names a key the rule refuses with U+FFFD in its place, never echoing it, the same on every call', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...CONTROL, '\ud800', '\n'), fc.string(), (a, bad, b) => {
        const key = `${a}${bad}${b}`;
        const named = fieldOf(() => checkText({ outer: { [key]: 'v' } }, ''));
        expect(named).not.toBeNull();
        expect(named).not.toContain(bad);
        expect(named).toContain('\uFFFD');
        // the shared pattern keeps no state between calls
        expect(fieldOf(() => checkText({ outer: { [key]: 'v' } }, ''))).toBe(named);
      }),
    );
  });

  it('lets well-formed text without control characters through, astral characters and LF, CR, TAB included', () => {
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    const clean = fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, ''));
    fc.assert(fc.property(clean, (s) => expect(fieldOf(() => checkText({ s, list: [s, `${s}\n\t\r😀`] }, ''))).toBeNull()));
  });

  it('allows line breaks and tabs only in long text fields (limit of 1,000 or more), nested DTOs included', async () => {
    const pipe = createValidationPipe();
    const meta: ArgumentMetadata = { type: 'body', metatype: Outer };
    const body = (over: Record<string, unknown> = {}, inner: Record<string, unknown> = {}) => ({ title: 't', description: 'a\nb\tc\r\n', inner: { name: 'n', note: 'x\ny', ...inner }, ...over });
    await expect(pipe.transform(body(), meta)).resolves.toBeInstanceOf(Outer);
    for (const [over, inner, field] of [
      [{ title: 'a\nb' }, {}, 'title'],
      [{}, { name: 'a\tb' }, 'inner.name'],
    ] as const) {
      const err = await pipe.transform(body(over, inner), meta).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(((err as DomainError).details.fields as { field: string }[])[0].field).toBe(field);
    }
    expect(fieldOf(() => checkLineBreaks({ a: 'x\ny' }, ''))).toBe('a');
  });

  it('refuses a body that is not an object where the route takes a DTO', async () => {
    const pipe = createValidationPipe();
    for (const v of [null, [], 3, 'x']) {
      const err = await pipe.transform(v, { type: 'body', metatype: Outer }).catch((e: unknown) => e);
      expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    }
  });
});
