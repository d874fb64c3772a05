import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { rememberValidationMetadata } from './validation-metadata.cache';

rememberValidationMetadata();

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Where in a value the first null inside a list is, as a dotted path (`actions.0`). */
function nullInList(value: unknown, path: string[] = []): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      if (item === null) return [...path, String(index)].join('.');
      const found = nullInList(item, [...path, String(index)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nullInList(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * class-transformer reads the discriminator of each item in a list of subtypes (a job's
 * actions) and throws a TypeError on a null item; that is the sender's mistake, not ours.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      const field = error instanceof TypeError ? nullInList(value) : undefined;
      if (!field) throw error;
      throw new BadRequestException({
        message: `Invalid request: ${field} must be an object, not null.`,
        details: [{ field, in: metadata.type, problems: [`${field} must be an object, not null`] }],
      });
    }
  }
}

/**
 * Validates bodies, params and queries against their DTOs; unknown fields are refused.
 * A 400 names each failing field in `message` and lists them in `details`.
 */
export const validationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const details = flatten(errors);
    return new BadRequestException({
      message: `Invalid request: ${details.map((d) => d.problems.join(', ')).join('; ')}.`,
      details,
    });
  },
});
