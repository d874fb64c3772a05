import { Matches } from 'class-validator';

// Field checks shared by the devices' DTOs: one spelling of each rule.

/** Printable text on one line: no control characters (NUL, line breaks, escapes). */
export const OneLine = (what: string, options: { each?: boolean } = {}) =>
  Matches(/^[^\u0000-\u001f\u007f]*$/, { ...options, message: `${what} must be printable text on one line` });

/** Text that may span lines but holds no other control characters. */
export const Text = (what: string, options: { each?: boolean } = {}) =>
  Matches(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, {
    ...options,
    message: `${what} must be text without control characters other than tab and line breaks`,
  });

/** An absolute path without NUL or line breaks. */
export const AbsolutePath = (what: string) =>
  Matches(/^\/[^\u0000\r\n]*$/, { message: `${what} must be an absolute path (starting with /)` });
