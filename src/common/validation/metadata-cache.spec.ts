import 'reflect-metadata';
import { Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync, ValidateNested } from 'class-validator';
import { memoizeValidationMetadata } from './metadata-cache';

class Base {
  @IsString() name!: string;
  @IsString() title!: string;
}
class Inner {
  @IsInt() n!: number;
}
class Child extends Base {
  @IsInt() count!: number;
  @MaxLength(3, { groups: ['short'] }) code!: string;
  @MaxLength(5) declare name: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

describe('memoizeValidationMetadata', () => {
  const storage = getMetadataStorage();
  const original = storage.getTargetValidationMetadatas.bind(storage);
  const lookup = memoizeValidationMetadata();

  const calls: [Parameters<typeof original>[0], string, boolean, boolean, string[] | undefined][] = [];
  for (const target of [Base, Inner, Child]) for (const always of [false, true]) for (const strict of [false, true]) for (const groups of [undefined, [], ['short'], ['other']]) calls.push([target, '', always, strict, groups]);

  it('answers what class-validator answers, for every class, option and group, inherited rules included', () => {
    for (const [target, schema, always, strict, groups] of calls) {
      const want = original(target, schema, always, strict, groups);
      expect(storage.getTargetValidationMetadatas(target, schema, always, strict, groups)).toEqual(want);
    }
    // the child has its own rules and its parent's (a rule of its own for a property replaces the parent's)
    const child = storage.getTargetValidationMetadatas(Child, '', false, false, undefined).map((m) => `${m.propertyName}:${m.name ?? m.type}`);
    expect(child.sort()).toEqual(['code:maxLength', 'count:isInt', 'inner:nestedValidation', 'name:maxLength', 'title:isString']);
  });

  it('keeps each answer: the same list comes back without a new scan', () => {
    const a = storage.getTargetValidationMetadatas(Child, '', false, false, ['short']);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['short'])).toBe(a);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['other'])).not.toBe(a);
  });

  it('is installed once, however often it is called', () => {
    expect(memoizeValidationMetadata()).toBe(lookup);
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });

  it('validates as before: inherited, overriding, grouped and nested rules', () => {
    const c = Object.assign(new Child(), { name: 'toolong', title: 7, count: 1.5, code: 'abcd', inner: Object.assign(new Inner(), { n: 'x' }) });
    const problems = (groups?: string[]) =>
      validateSync(c, groups ? { groups } : {}).map((e) => `${e.property}:${Object.keys(e.constraints ?? {}).sort().join(',')}${e.children?.length ? `>${e.children.map((x) => x.property).join(',')}` : ''}`);
    const withOriginal = (groups?: string[]) => {
      storage.getTargetValidationMetadatas = original;
      try {
        return problems(groups);
      } finally {
        storage.getTargetValidationMetadatas = lookup;
      }
    };
    for (const groups of [undefined, ['short'], ['other']]) expect(problems(groups)).toEqual(withOriginal(groups));
    expect(problems()).toEqual(['count:isInt', 'code:maxLength', 'name:maxLength', 'inner:>n', 'title:isString']);
  });
});
