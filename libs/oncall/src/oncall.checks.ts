import { Matches, ValidateBy } from 'class-validator';
import { isTimeZone } from './pure';

// Field checks shared by the on-call DTOs: one spelling of each rule.

/** Printable text on one line: no control characters. */
export const OneLine = (what: string) =>
  Matches(/^[^\u0000-\u001f\u007f]*$/, { message: `${what} must be printable text on one line` });

/** An IANA time-zone name the server knows (e.g. Europe/Berlin). */
export const TimeZone = (what: string) =>
  ValidateBy({
    name: 'timeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isTimeZone(value),
      defaultMessage: () => `${what} must be an IANA time zone such as Europe/Berlin`,
    },
  });

export const ClockTime = (what: string) =>
  Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: `${what} must be a time HH:mm` });
