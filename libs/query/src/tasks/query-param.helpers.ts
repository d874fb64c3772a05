import { BadRequestException } from '@nestjs/common';
import type { TransformFnParams } from 'class-transformer';

// Query strings arrive as text (or arrays of text when repeated); these helpers shape them
// before class-validator sees them, so a bad value is still reported under its own name.

/** `?status=a&status=b` and `?status=a,b` alike become ['a', 'b']. */
export const toList = ({ value }: TransformFnParams): unknown => {
  if (typeof value === 'string') value = [value];
  if (!Array.isArray(value)) return value;
  return value.flatMap((item: unknown) =>
    typeof item === 'string'
      ? item
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : [item],
  );
};

/** 'true'/'false' (and 1/0) become booleans; anything else stays as it is for @IsBoolean to refuse. */
export const toBoolean = ({ value }: TransformFnParams): unknown => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

/** A full timestamp with an offset, so PostgreSQL never guesses a zone for it. */
export const timestampWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A 400 shaped like the validation pipe's, for checks that need more than the DTO knows. */
export function invalidParam(field: string, problem: string): BadRequestException {
  return new BadRequestException({
    message: `Invalid request: ${problem}.`,
    details: [{ field, problems: [problem] }],
  });
}
