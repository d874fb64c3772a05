import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@taskinbox/auth';
import type { TaskCommandHandler } from '@taskinbox/ingest';
import type { PayloadSchemas } from '@taskinbox/task-types';
import type { StatusLinks } from '../links/status-link.service';
import { answerOf, formFields, formProblems } from '../pure/end-user-form';
import { transparencyErrors } from '../transparency.errors';

export interface AskInput {
  prompt: string;
  form?: Record<string, unknown>;
  actionUrl?: string;
}

/**
 * What a task asks of its end user, and their answer through the status page. The page's form
 * carries a token bound to the request and the link (an HMAC, nothing stored); the task accepts
 * one answer per request, so a form posts once. The answer is validated with the task types'
 * hardened Ajv and recorded by the domain as info from the end user.
 */
export class EndUserRequests {
  constructor(
    private readonly tasks: TaskCommandHandler,
    private readonly schemas: PayloadSchemas,
    private readonly links: StatusLinks,
    private readonly secret: string,
  ) {}

  async ask(principal: Principal, taskId: string, input: AskInput, correlationId: string): Promise<{ requestId: string }> {
    if (input.form !== undefined) {
      const problems = formProblems(input.form);
      const ajvProblems = problems.length === 0 ? this.schemas.problemsOf(input.form, 'form') : [];
      const [first] = [...problems, ...ajvProblems];
      if (first) throw transparencyErrors.invalidForm(first);
    }
    const requestId = uuidv7();
    await this.tasks.execute(
      principal,
      taskId,
      (_, by, now) => ({
        type: 'AskEndUser',
        request: {
          requestId,
          prompt: input.prompt,
          ...(input.form ? { form: input.form, fieldOrder: Object.keys(input.form.properties as object) } : {}),
          ...(input.actionUrl ? { actionUrl: input.actionUrl } : {}),
        },
        by,
        now,
      }),
      correlationId,
    );
    return { requestId };
  }

  /** The token a status page puts in the form of `requestId`. */
  formToken(linkToken: string, requestId: string): string {
    const link = createHash('sha256').update(linkToken).digest('hex');
    return createHmac('sha256', this.secret).update(`end-user-form\0${link}\0${requestId}`).digest('base64url');
  }

  /**
   * Posts the answer; throws invalid_input (with each problem) when it does not fit the form.
   * Returns who answered and the task's version after it, for the page to wait for.
   */
  async answer(linkToken: string, posted: Record<string, unknown>, correlationId: string): Promise<{ principal: Principal; taskId: string; version: number }> {
    const { orgId, taskId } = await this.links.open(linkToken);
    const { requestId, formToken, ...fieldsPosted } = posted;
    if (typeof requestId !== 'string' || typeof formToken !== 'string' || !this.sameToken(formToken, this.formToken(linkToken, requestId))) {
      throw transparencyErrors.formExpired();
    }
    const principal: Principal = { orgId, actor: { kind: 'end_user', id: requestId }, scopes: [] };
    const { task } = await this.tasks.load(principal, taskId);
    if (task.awaiting?.requestId !== requestId || !task.awaiting.form) throw transparencyErrors.requestClosed();
    const { form } = task.awaiting;
    const answer = answerOf(fieldsPosted, formFields(form, task.awaiting.fieldOrder));
    const problems = this.schemas.validate(`end-user-form:${requestId}`, form, answer, 'answer');
    if (problems.length > 0) {
      throw Object.assign(new Error(problems.map((problem) => `${problem.field} ${problem.problem}`).join('; ')), {
        code: 'invalid_input',
        details: problems.map((problem) => ({ field: problem.field, in: 'body', problems: [problem.problem] })),
      });
    }
    const { version } = await this.tasks
      .execute(principal, taskId, (_, by, now) => ({ type: 'AnswerEndUser', requestId, answer, by, now }), correlationId)
      .catch((error: unknown) => {
        // Another answer got there first.
        if ((error as { rejection?: { code?: string } }).rejection?.code === 'illegal_transition') throw transparencyErrors.requestClosed();
        throw error;
      });
    return { principal, taskId, version };
  }

  private sameToken(given: string, expected: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
