import type { Principal } from '@taskinbox/auth';
import { AttachmentFetchFailed, AttachmentTooLarge } from '../attachments.errors';
import { type AcceptedAttachment, type AttachmentIntake, cleanName } from './attachment.intake';
import type { UrlFetcher } from './url.fetcher';

/** A URL attachment taken in: fetched once through the SSRF guard, then kept like an upload. */
export class UrlIntake {
  constructor(
    private readonly intake: AttachmentIntake,
    private readonly fetcher: UrlFetcher,
  ) {}

  async attach(principal: Principal, taskId: string, input: { url: string; name?: string; correlationId: string }): Promise<AcceptedAttachment> {
    // 404 for a task the caller may not see, before anything is fetched on their behalf.
    await this.intake.assertTaskVisible(principal, taskId);
    const fetched = await this.fetcher.open(input.url);
    const staged = await this.intake.stage(fetched.body).catch((error: unknown) => {
      // The sender hung up or stalled mid-body: their failure, named as such; the limit keeps its 413.
      if (error instanceof AttachmentTooLarge || error instanceof AttachmentFetchFailed) throw error;
      throw new AttachmentFetchFailed(`Fetching ${input.url} broke off (${(error as Error).message}); nothing was attached.`);
    });
    return this.intake.accept(principal, taskId, staged, {
      name: cleanName(input.name ?? fetched.suggestedName),
      via: 'url',
      sourceUrl: input.url,
      correlationId: input.correlationId,
    });
  }
}
