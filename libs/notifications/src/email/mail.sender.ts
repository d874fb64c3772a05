import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '@taskinbox/config';

export interface MailItem {
  title: string;
  body: string;
  /** Absolute link that opens the task. */
  url: string;
}

/** E-mail over SMTP (nodemailer): the second channel, and the digest of low-urgency news. */
export class MailSender {
  private transport?: Transporter;

  constructor(private readonly settings: Config['notifications']) {}

  get enabled(): boolean {
    return this.settings.smtpUrl !== undefined;
  }

  async send(to: string, subject: string, items: MailItem[]): Promise<boolean> {
    if (!this.settings.smtpUrl) return false;
    this.transport ??= nodemailer.createTransport(this.settings.smtpUrl);
    await this.transport.sendMail({
      from: this.settings.mailFrom,
      to,
      subject,
      text: items.map((item) => `${item.title}\n${item.body}\nOpen: ${item.url}\n`).join('\n'),
      html: items
        .map((item) => `<p><a href="${escapeHtml(item.url)}">${escapeHtml(item.title)}</a><br>${escapeHtml(item.body)}</p>`)
        .join('\n'),
    });
    return true;
  }

  close(): void {
    this.transport?.close();
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
