import { DatabaseError, type Pool } from 'pg';
import { type Principal } from '@taskinbox/auth';
import { TaskNotFound } from '@taskinbox/domain';
import { RejectedCommand } from '@taskinbox/http';
import { TaskCommandHandler, taskCommandTable } from '@taskinbox/ingest';
import { InboundActionNotAllowed, InboundReplayed, InboundSignatureInvalid } from '../inbound.errors';
import { thirdPartyTag } from '../sources/inbound-source.dto';
import type { InboundSource, InboundSourceService } from '../sources/inbound-source.service';
import type { InboundAcceptedView, InboundEventDto } from './inbound-event.dto';
import { type SignedHeaders, verifySignedMessage } from './inbound.signature';

/**
 * Accepts signed events from inbound sources and turns them into task commands. The message id
 * is inserted in a transaction kept open across the command: a concurrent replay waits on the
 * primary key and is refused once the first commits, and a refused command rolls the id back.
 * The events' ids derive from the source and message id, so if the process dies between the
 * append and the commit, the sender's retry finds the first append instead of writing twice.
 */
export class InboundEventService {
  constructor(
    private readonly pool: Pool,
    private readonly sources: InboundSourceService,
    private readonly tasks: TaskCommandHandler,
  ) {}

  async accept(
    sourceId: string,
    headers: SignedHeaders,
    rawBody: Buffer | undefined,
    event: InboundEventDto,
    correlationId: string,
    now = new Date(),
  ): Promise<InboundAcceptedView> {
    const source = await this.sources.find(sourceId);
    if (!source || !rawBody) throw new InboundSignatureInvalid('no webhook-signature matches the source secret.');
    const messageId = verifySignedMessage(source.secret, headers, rawBody, now);
    if (source.kind === 'third_party' && event.type === 'task.cancel') {
      throw new InboundActionNotAllowed('A third party may only post information; cancelling is for the sender.');
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        await client.query(`INSERT INTO inbound_messages (source_id, message_id, task_id) VALUES ($1, $2, $3)`, [
          source.id,
          messageId,
          event.taskId,
        ]);
      } catch (error) {
        if (error instanceof DatabaseError && error.code === '23505') throw new InboundReplayed();
        throw error;
      }
      const outcome = await this.run(source, event, messageId, correlationId);
      await client.query('COMMIT');
      return { taskId: event.taskId, version: outcome.version };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async run(source: InboundSource, event: InboundEventDto, messageId: string, correlationId: string) {
    const principal = actingAs(source);
    const { task } = await this.tasks.load(principal, event.taskId);
    // Each source reaches only its own tasks; any other answers like a missing one.
    const reachable =
      source.kind === 'sender'
        ? task.source.kind === 'service' && task.source.id === source.apiKey?.id
        : (task.tags ?? []).includes(thirdPartyTag(source.key));
    if (!reachable) throw new RejectedCommand(new TaskNotFound());
    const options = {
      idSeed: `inbound\0${source.id}\0${messageId}`,
      metadata: { inboundSourceId: source.id, inboundMessageId: messageId },
    };
    return event.type === 'task.cancel'
      ? this.tasks.run(
          principal,
          event.taskId,
          taskCommandTable.cancel,
          { reason: event.reason },
          correlationId,
          options,
        )
      : this.tasks.run(
          principal,
          event.taskId,
          taskCommandTable.postInfo,
          { info: event.info ?? {}, note: event.reason },
          correlationId,
          options,
        );
  }
}

/** A sender acts as its API key (so the decider knows it as the task's sender); a third party as itself. */
function actingAs(source: InboundSource): Principal {
  const actor = source.apiKey
    ? { kind: 'service' as const, id: source.apiKey.id, name: source.apiKey.name }
    : { kind: 'service' as const, id: source.id, name: source.name };
  return { orgId: source.orgId, actor, scopes: [] };
}
