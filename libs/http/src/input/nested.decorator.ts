import { applyDecorators } from '@nestjs/common';
import { Type, type TypeHelpOptions, type TypeOptions } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * A nested DTO, or with `each` a list of them. ValidateNested alone lets `[]` or `null` stand
 * where an object belongs (class-transformer then throws on it and the answer was a 500), so
 * an object is checked first and the refusal names the field.
 */
export function Nested(
  type: (options?: TypeHelpOptions) => Function,
  options: { each?: boolean } & TypeOptions = {},
): PropertyDecorator {
  const { each = false, ...typeOptions } = options;
  return applyDecorators(IsObject({ each }), ValidateNested({ each }), Type(type, typeOptions));
}
