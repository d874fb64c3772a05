/** The words the issue asks for, checked as the user reads them (not imported from the SPA). */
export const alreadyTakenNotice =
  'This task has already been processed or is currently being handled by another administrator.';
