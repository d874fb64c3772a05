import { createHmac, timingSafeEqual } from 'node:crypto';
import { AttachmentLinkInvalid } from '../attachments.errors';

export type FileVariant = 'original' | 'thumb' | 'phone';
export const fileVariants: readonly FileVariant[] = ['original', 'thumb', 'phone'];

/**
 * Short-lived signed file URLs: the API checks who may see a task when it hands a link out;
 * the link then works alone (an <img> cannot send a bearer token) until it expires. The key is
 * derived from JWT_SECRET, so every replica signs and checks alike.
 */
export class FileLinks {
  private readonly key: Buffer;

  constructor(
    jwtSecret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', jwtSecret).update('taskinbox attachment file links').digest();
  }

  /** `/api/attachments/<id>/files/<variant>?expires=…&signature=…` and when it stops working. */
  sign(attachmentId: string, variant: FileVariant): { url: string; expiresAt: string } {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const signature = this.signature(attachmentId, variant, expires);
    return {
      url: `/api/attachments/${attachmentId}/files/${variant}?expires=${expires}&signature=${signature}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  verify(attachmentId: string, variant: FileVariant, expires: string | undefined, signature: string | undefined): void {
    const at = Number(expires);
    if (!signature || !Number.isInteger(at)) throw new AttachmentLinkInvalid('signature');
    const expected = Buffer.from(this.signature(attachmentId, variant, at));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AttachmentLinkInvalid('signature');
    if (at * 1000 < this.now()) throw new AttachmentLinkInvalid('expired');
  }

  private signature(attachmentId: string, variant: FileVariant, expires: number): string {
    return createHmac('sha256', this.key).update(`${attachmentId}\n${variant}\n${expires}`).digest('base64url');
  }
}
