/**
 * NATS request/reply patterns for services that emit tasks without HTTP. The server listens on
 * `<NATS_SUBJECT_PREFIX>.<pattern>` (e.g. `taskinbox.tasks.create`; `tasks` is the commands token
 * the NATS accounts export). Send `Authorization: Bearer <api key>` (and optionally
 * `x-correlation-id`) as message headers. The reply is Nest's envelope: `{ "response": <task> }`
 * or `{ "err": <error body> }`.
 */
export const taskSubjects = {
  create: 'tasks.create',
  get: 'tasks.get',
  claim: 'tasks.claim',
  release: 'tasks.release',
  changeStatus: 'tasks.change-status',
  complete: 'tasks.complete',
  hold: 'tasks.hold',
  resume: 'tasks.resume',
  cancel: 'tasks.cancel',
  comment: 'tasks.comment',
  update: 'tasks.update',
  postInfo: 'tasks.post-info',
  attach: 'tasks.attach',
  assign: 'tasks.assign',
  unassign: 'tasks.unassign',
  runAction: 'tasks.run-action',
  delete: 'tasks.delete',
  tag: 'tasks.tag',
  erasePayload: 'tasks.erase-payload',
} as const;
