import {
  type Account,
  encodeAccount,
  encodeOperator,
  type Export,
  type Import,
  newScopedSigner,
  type OperatorLimits,
  type RevocationList,
  type UserPermissionsLimits,
} from '@nats-io/jwt';
import { commandsToken, eventsToken } from '@taskinbox/messaging';
import { deviceCommandsToken, deviceReportsToken, devicesToken } from '@taskinbox/device-protocol';
import { type AccountName, type InstallationKeys, publicKeyOf } from '../keys/installation.keys';

/**
 * Event readers reach the JetStream consumer API of the TASKINBOX account under this prefix
 * (`jetstream(nc, { apiPrefix })`): their own account has no JetStream, and the server answers
 * `$JS.API` there itself.
 */
export const eventReaderApiPrefix = 'js.api';

const connections: OperatorLimits = {
  subs: -1,
  conn: -1,
  leaf: -1,
  imports: -1,
  exports: -1,
  data: -1,
  payload: -1,
  wildcards: true,
  // Every user proves it holds its nkey; a leaked JWT alone connects nobody.
  disallow_bearer: true,
};
// Without explicit limits an account JWT means zero connections and no JetStream.
const withJetStream: OperatorLimits = { ...connections, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 };
const withoutJetStream: OperatorLimits = { ...connections, mem_storage: 0, disk_storage: 0, streams: 0, consumer: 0 };

// Every installation prefix: the accounts serve any prefix, and each user is bound to one by its
// `prefix` tag, so installations sharing these accounts stay apart.
const anyPrefix = '*';
const commands = `${anyPrefix}.${commandsToken}.>`;
const events = `${anyPrefix}.${eventsToken}.>`;
// A pull consumer's API, as an event reader uses it: next messages, its info, acks.
const consumerApi = [
  {
    name: 'event readers: next messages',
    subject: '$JS.API.CONSUMER.MSG.NEXT.*.*',
    local: 'CONSUMER.MSG.NEXT.*.*',
    response: 'Stream',
  },
  {
    name: 'event readers: consumer info',
    subject: '$JS.API.CONSUMER.INFO.*.*',
    local: 'CONSUMER.INFO.*.*',
    response: 'Singleton',
  },
] as const;
const acks = '$JS.ACK.*.*.>';
// Wake-ups taskinbox sends each device, and what devices say (heartbeats), across the two accounts.
const deviceCommands = `${anyPrefix}.${devicesToken}.${deviceCommandsToken}.>`;
const deviceReports = `${anyPrefix}.${devicesToken}.${deviceReportsToken}.>`;

/**
 * What users signed with a role's scoped key may do, whatever their JWT says. Whole-token
 * placeholders only ({{name()}} is the user's name, {{tag(x)}} its `x:` tag); a subject whose
 * placeholder has no value is dropped.
 */
export const scopedTemplates: Record<string, Partial<UserPermissionsLimits>> = {
  // Outside services: send commands of their installation, hear the replies in their own inbox
  // (clients set inboxPrefix `_INBOX.<name>`). Only taskinbox's services see the requests.
  'OUTSIDE.service': {
    pub: { allow: [`{{tag(prefix)}}.${commandsToken}.>`], deny: [] },
    sub: { allow: ['_INBOX.{{name()}}.>'], deny: [] },
  },
  // Event readers: read-only, their organisation's events live and their own JetStream consumer
  // (named after the user) on their installation's stream.
  'EVENTS.reader': {
    pub: {
      allow: [
        `${eventReaderApiPrefix}.CONSUMER.MSG.NEXT.{{tag(stream)}}.{{name()}}`,
        `${eventReaderApiPrefix}.CONSUMER.INFO.{{tag(stream)}}.{{name()}}`,
        '$JS.ACK.{{tag(stream)}}.{{name()}}.>',
      ],
      deny: [],
    },
    sub: { allow: [`{{tag(prefix)}}.${eventsToken}.{{tag(org)}}.>`, '_INBOX.{{name()}}.>'], deny: [] },
  },
  // Enrolled devices (user name = device id): hear their own wake-ups, speak only as themselves.
  // No inbox: a device makes no requests over NATS (work and results go over HTTPS).
  'DEVICES.device': {
    pub: { allow: [`{{tag(prefix)}}.${devicesToken}.${deviceReportsToken}.{{name()}}.>`], deny: [] },
    sub: { allow: [`{{tag(prefix)}}.${devicesToken}.${deviceCommandsToken}.{{name()}}`], deny: [] },
    subs: 4,
    payload: 16 * 1024,
  },
};

/** The claims of one account, built from the installation's public keys (seeds work too). */
export function accountClaims(name: AccountName, keys: InstallationKeys): Partial<Account> {
  const taskinbox = publicKeyOf(keys.accounts.TASKINBOX.identity);
  const scoped = Object.entries(keys.accounts[name].signing).map(([role, key]) => {
    const template = scopedTemplates[`${name}.${role}`];
    if (!template) throw new Error(`No permission template for ${name} signing role '${role}'.`);
    return newScopedSigner(publicKeyOf(key), role, template);
  });
  const base = { signing_keys: scoped, description: `taskinbox ${name}` };
  switch (name) {
    case 'SYS':
      return { ...base, limits: withoutJetStream };
    case 'TASKINBOX': {
      const exports: Export[] = [
        { name: 'task commands', subject: commands, type: 'service', response_type: 'Singleton' },
        { name: 'task events', subject: events, type: 'stream' },
        ...consumerApi.map(({ name: label, subject, response }): Export => ({
          name: label,
          subject,
          type: 'service',
          response_type: response,
        })),
        { name: 'event readers: acks', subject: acks, type: 'service', response_type: 'Singleton' },
        { name: 'device wake-ups', subject: deviceCommands, type: 'stream' },
      ];
      const imports: Import[] = [
        {
          name: 'device reports',
          subject: deviceReports,
          account: publicKeyOf(keys.accounts.DEVICES.identity),
          type: 'stream',
        },
      ];
      return { ...base, limits: withJetStream, exports, imports };
    }
    case 'OUTSIDE': {
      const imports: Import[] = [{ name: 'task commands', subject: commands, account: taskinbox, type: 'service' }];
      return { ...base, limits: withoutJetStream, imports };
    }
    case 'EVENTS': {
      const imports: Import[] = [
        { name: 'task events', subject: events, account: taskinbox, type: 'stream' },
        ...consumerApi.map(({ name: label, subject, local }): Import => ({
          name: label,
          subject,
          local_subject: `${eventReaderApiPrefix}.${local}`,
          account: taskinbox,
          type: 'service',
        })),
        { name: 'event readers: acks', subject: acks, account: taskinbox, type: 'service' },
      ];
      return { ...base, limits: withoutJetStream, imports };
    }
    case 'DEVICES': {
      const exports: Export[] = [{ name: 'device reports', subject: deviceReports, type: 'stream' }];
      const imports: Import[] = [
        { name: 'device wake-ups', subject: deviceCommands, account: taskinbox, type: 'stream' },
      ];
      return { ...base, limits: withoutJetStream, exports, imports };
    }
  }
}

/** The account JWT, signed with the operator's signing key; `revocations`: user key → revoked before (s). */
export function signAccount(
  name: AccountName,
  keys: InstallationKeys,
  operatorSigningSeed: string,
  revocations: RevocationList = {},
): Promise<string> {
  const claims = accountClaims(name, keys);
  if (Object.keys(revocations).length > 0) claims.revocations = revocations;
  return encodeAccount(name, publicKeyOf(keys.accounts[name].identity), claims, { signer: operatorSigningSeed });
}

/** The operator JWT (self-signed: needs the operator's identity seed), naming SYS and the signing key. */
export function signOperator(keys: InstallationKeys): Promise<string> {
  return encodeOperator('taskinbox', keys.operator, {
    system_account: publicKeyOf(keys.accounts.SYS.identity),
    signing_keys: [publicKeyOf(keys.operatorSigning)],
  });
}
