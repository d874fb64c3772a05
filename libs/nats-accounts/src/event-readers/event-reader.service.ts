import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { ensureTaskEventsStream, type NatsNames, orgEventsSubject } from '@taskinbox/messaging';
import { eventReaderApiPrefix } from '../accounts/account.specs';
import type { Issuer } from '../accounts/issuer';
import type { AccountRevocations } from '../revocations/account.revocations';
import { issueUser } from '../users/user.creds';
import type { EventReaderCreatedView, EventReaderView } from './event-reader.dto';
import { EventReaderNotFound, NatsUnavailable } from './event-reader.errors';

interface Row {
  id: string;
  name: string;
  nats_name: string;
  user_key: string;
  issued_at: string;
  created_at: Date;
  revoked_at: Date | null;
}

const view = (row: Row): EventReaderView => ({
  id: row.id,
  name: row.name,
  natsName: row.nats_name,
  userKey: row.user_key,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/**
 * Organisations' event readers: a NATS user of the EVENTS account (signed with its scoped
 * `reader` key, so it can only read its organisation's events, live and from a durable JetStream
 * consumer of its own) per reader. Issued and revoked by the organisation's admins; the
 * credentials are shown once and never stored.
 */
export class EventReaderService {
  constructor(
    private readonly pool: Pool,
    private readonly issuer: Issuer,
    private readonly names: NatsNames,
    /** NATS_STREAM_REPLICAS, should this service make the stream before the relay does. */
    private readonly streamReplicas: number,
    private readonly nats: () => Promise<NatsConnection>,
    private readonly revocations: AccountRevocations,
    private readonly logger: Logger,
  ) {}

  async issue(orgId: string, name: string, createdBy: string): Promise<EventReaderCreatedView> {
    const id = uuidv7();
    const natsName = `reader-${id}`;
    const signingSeed = this.issuer.signing.EVENTS?.reader;
    if (!signingSeed) throw new Error('The NATS issuer file has no EVENTS reader signing key.');
    const user = await issueUser({
      account: 'EVENTS',
      accountKey: this.issuer.keys.accounts.EVENTS.identity,
      name: natsName,
      scoped: { signingSeed, tags: { prefix: this.names.prefix, org: orgId, stream: this.names.stream } },
    });
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(
        `INSERT INTO event_readers (id, org_id, name, nats_name, user_key, issued_at, subject_prefix, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [id, orgId, name, natsName, user.publicKey, user.issuedAt, this.names.prefix, createdBy],
      );
      // Committed only once its consumer exists: no reader is left without one, or the other way round.
      await this.createConsumer(orgId, natsName);
      await client.query('COMMIT');
      return {
        ...view(rows[0]),
        creds: user.creds,
        subjects: { live: orgEventsSubject(this.names.events, orgId), inboxPrefix: `_INBOX.${natsName}` },
        jetstream: { apiPrefix: eventReaderApiPrefix, stream: this.names.stream, consumer: natsName },
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async list(orgId: string): Promise<EventReaderView[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM event_readers WHERE org_id = $1 ORDER BY created_at, id',
      [orgId],
    );
    return rows.map(view);
  }

  /**
   * Revokes the reader at once: NATS closes its connections and refuses it from then on, and its
   * consumer is deleted. Revoking it again pushes the revocation again (for one NATS missed).
   */
  async revoke(orgId: string, id: string, revokedBy: string): Promise<void> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE event_readers SET revoked_at = coalesce(revoked_at, now()), revoked_by = coalesce(revoked_by, $3)
       WHERE id = $1 AND org_id = $2 RETURNING *`,
      [id, orgId, revokedBy],
    );
    const row = rows[0];
    if (!row) throw new EventReaderNotFound();
    try {
      await this.revocations.revoke('EVENTS', row.user_key, Number(row.issued_at));
    } catch (error) {
      this.logger.warn({ err: error, eventReader: id }, 'event reader revocation not confirmed by NATS');
      throw new NatsUnavailable(
        'The revocation is recorded, but NATS did not confirm it: try again (it is pushed again at every start too).',
      );
    }
    const jsm = await jetstreamManager(await this.nats());
    await jsm.consumers.delete(this.names.stream, row.nats_name).catch((error: unknown) => {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    });
  }

  private async createConsumer(orgId: string, natsName: string): Promise<void> {
    try {
      const jsm = await jetstreamManager(await this.nats());
      const config = {
        durable_name: natsName,
        description: `event reader of organisation ${orgId}`,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: orgEventsSubject(this.names.events, orgId),
        max_ack_pending: 1000,
      };
      await jsm.consumers.add(this.names.stream, config).catch(async (error: unknown) => {
        if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
        // Before the relay's first start: the stream is made as the relay would make it.
        await ensureTaskEventsStream(jsm, this.names, { replicas: this.streamReplicas });
        await jsm.consumers.add(this.names.stream, config);
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot create an event reader consumer');
      throw new NatsUnavailable('NATS is unavailable right now: no credentials were issued. Try again shortly.');
    }
  }
}
