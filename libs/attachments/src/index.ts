export { AttachmentsModule, type AttachmentsOptions, createBlobStore } from './attachments.module';
export { type BlobStore, blobKey } from './storage/blob.store';
export { FilesystemStore } from './storage/filesystem.store';
export { S3Store } from './storage/s3.store';
export { AttachmentIntake } from './intake/attachment.intake';
export { AttachmentCatalog } from './serving/attachment.catalog';
export { PreviewQueue } from './previews/preview.worker';
export { PreviewMaker } from './previews/preview.maker';
export { pdfPreviewsAvailable } from './previews/pdf.first-page';
