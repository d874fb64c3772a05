import 'reflect-metadata';
import { IsInt, IsString, Min, validateSync } from 'class-validator';
import { rememberValidationMetadata } from './validation-metadata.cache';

rememberValidationMetadata();

const problems = (object: object): string[] => validateSync(object).flatMap((error) => Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`));

class Refund {
  @IsString()
  title!: string;
}

describe('remembered validation rules', () => {
  it('validate a class as class-validator does, each time', () => {
    const bad = Object.assign(new Refund(), { title: 42 });
    expect(problems(bad)).toEqual(['title:isString']);
    expect(problems(bad)).toEqual(['title:isString']);
    expect(problems(Object.assign(new Refund(), { title: 'Refund order 1042' }))).toEqual([]);
  });

  it('refuse unknown properties as class-validator does, each time', () => {
    const strict = { whitelist: true, forbidNonWhitelisted: true };
    for (let round = 0; round < 2; round++) {
      const errors = validateSync(Object.assign(new Refund(), { title: 7, extra: 1 }), strict);
      expect(errors.map((error) => [error.property, Object.keys(error.constraints ?? {})])).toEqual([
        ['extra', ['whitelistValidation']],
        ['title', ['isString']],
      ]);
    }
  });

  it('include the rules of a class defined after its parent was validated, and its parent’s', () => {
    expect(problems(Object.assign(new Refund(), { title: 1 }))).toEqual(['title:isString']);
    class LargeRefund extends Refund {
      @IsInt()
      @Min(1000)
      amount!: number;
    }
    expect(problems(Object.assign(new LargeRefund(), { title: 1, amount: 5 })).sort()).toEqual(['amount:min', 'title:isString']);
    // The parent keeps only its own.
    expect(problems(Object.assign(new Refund(), { title: 1 }))).toEqual(['title:isString']);
  });
});
