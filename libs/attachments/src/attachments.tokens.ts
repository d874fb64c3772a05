export const BLOB_STORE = Symbol('taskinbox.attachments.blob-store');
export const ATTACHMENT_LIMITS = Symbol('taskinbox.attachments.limits');

export interface AttachmentLimits {
  maxFileBytes: number;
  orgQuotaBytes: number;
}
