import { EventStoreSchema0000000000001 } from './0001-event-store';
import { Auth0000000000002 } from './0002-auth';
import { ReadModels0000000000003 } from './0003-read-models';
import { Webhooks0000000000004 } from './0004-webhooks';
import { Sessions0000000000010 } from './0010-sessions';
import { Invitations0000000000011 } from './0011-invitations';
import { PrivateTaskFacts0000000000020 } from './0020-private-task-facts';
import { NatsAccess0000000000030 } from './0030-nats-access';
import { StreamSnapshots0000000000040 } from './0040-stream-snapshots';
import { Lz4Compression0000000000041 } from './0041-lz4-compression';
import { EventSizes0000000000042 } from './0042-event-sizes';
import { TaskAssignees0000000000050 } from './0050-task-assignees';
import { TaskTypes0000000000051 } from './0051-task-types';
import { TaskActions0000000000052 } from './0052-task-actions';
import { Devices0000000000060 } from './0060-devices';
import { DeviceChallenges0000000000061 } from './0061-device-challenges';
import { Transparency0000000000070 } from './0070-transparency';
import { EtaPromises0000000000071 } from './0071-eta-promises';
import { Inbound0000000000075 } from './0075-inbound';
import { Slos0000000000076 } from './0076-slos';
import { Urgency0000000000077 } from './0077-urgency';
import { TasksAtRisk0000000000078 } from './0078-tasks-at-risk';
import { Oncall0000000000080 } from './0080-oncall';
import { RoutingRules0000000000081 } from './0081-routing-rules';
import { Notifications0000000000082 } from './0082-notifications';
import { Attachments0000000000090 } from './0090-attachments';
import { WebhookTaskCursors0000000000100 } from './0100-webhook-task-cursors';
import { TaskActionFollower0000000000101 } from './0101-task-action-follower';
import { ResolutionRollups0000000000110 } from './0110-resolution-rollups';
import { BacklogRollups0000000000111 } from './0111-backlog-rollups';
import { EventReadHorizon0000000000122 } from './0122-event-read-horizon';
import { DeliveryRecordedTime0000000000123 } from './0123-delivery-recorded-time';
import { DeliveryLeases0000000000124 } from './0124-delivery-leases';
import { BusinessSecondsLoop0000000000125 } from './0125-business-seconds-loop';

/** Every migration, in the order it runs. Files are numbered; each class name ends in its number. */
export const migrations = [
  EventStoreSchema0000000000001,
  Auth0000000000002,
  ReadModels0000000000003,
  Webhooks0000000000004,
  Sessions0000000000010,
  Invitations0000000000011,
  PrivateTaskFacts0000000000020,
  NatsAccess0000000000030,
  StreamSnapshots0000000000040,
  Lz4Compression0000000000041,
  EventSizes0000000000042,
  TaskAssignees0000000000050,
  TaskTypes0000000000051,
  TaskActions0000000000052,
  Devices0000000000060,
  DeviceChallenges0000000000061,
  Transparency0000000000070,
  EtaPromises0000000000071,
  Inbound0000000000075,
  Slos0000000000076,
  Urgency0000000000077,
  TasksAtRisk0000000000078,
  Oncall0000000000080,
  RoutingRules0000000000081,
  Notifications0000000000082,
  Attachments0000000000090,
  WebhookTaskCursors0000000000100,
  TaskActionFollower0000000000101,
  ResolutionRollups0000000000110,
  BacklogRollups0000000000111,
  EventReadHorizon0000000000122,
  DeliveryRecordedTime0000000000123,
  DeliveryLeases0000000000124,
  BusinessSecondsLoop0000000000125,
];
