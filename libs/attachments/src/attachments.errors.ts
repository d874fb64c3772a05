import type { CodedError } from '@taskinbox/http';

const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** One file over the per-file limit: nothing of it is kept. */
export class AttachmentTooLarge extends Error implements CodedError {
  readonly code = 'attachment_too_large';
  readonly details: unknown;
  constructor(limitBytes: number) {
    super(`The file is larger than the per-file limit of ${mib(limitBytes)} (ATTACHMENTS_MAX_FILE_BYTES = ${limitBytes} bytes); nothing was stored.`);
    this.name = 'AttachmentTooLarge';
    this.details = { code: this.code, limit: 'per_file', limitBytes };
  }
}

/** The organisation's files together would pass its quota: nothing of this one is kept. */
export class AttachmentQuotaExceeded extends Error implements CodedError {
  readonly code = 'attachment_quota_exceeded';
  readonly details: unknown;
  constructor(limitBytes: number, usedBytes: number) {
    super(
      `This file would take the organisation past its storage limit of ${mib(limitBytes)} (ATTACHMENTS_ORG_QUOTA_BYTES = ${limitBytes} bytes, ${usedBytes} used); nothing was stored.`,
    );
    this.name = 'AttachmentQuotaExceeded';
    this.details = { code: this.code, limit: 'per_organisation', limitBytes, usedBytes };
  }
}

export class AttachmentNotFound extends Error implements CodedError {
  readonly code = 'attachment_not_found';
  constructor() {
    super('Attachment not found.');
    this.name = 'AttachmentNotFound';
  }
}

/** A file link whose signature does not match or whose time is up: ask the API for a fresh one. */
export class AttachmentLinkInvalid extends Error implements CodedError {
  readonly code = 'attachment_link_invalid';
  constructor(why: 'expired' | 'signature') {
    super(why === 'expired' ? 'This file link has expired; open the task again for a fresh one.' : 'This file link is not valid.');
    this.name = 'AttachmentLinkInvalid';
  }
}

/** The bytes were erased on request; the task's history still says the file was attached. */
export class AttachmentErased extends Error implements CodedError {
  readonly code = 'attachment_erased';
  constructor() {
    super("This attachment's content was erased on request.");
    this.name = 'AttachmentErased';
  }
}

export class AttachmentUploadInvalid extends Error implements CodedError {
  readonly code = 'attachment_upload_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentUploadInvalid';
  }
}

/** A URL attachment the server could not fetch (refused address, error status, network). */
export class AttachmentFetchFailed extends Error implements CodedError {
  readonly code = 'attachment_fetch_failed';
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentFetchFailed';
  }
}
