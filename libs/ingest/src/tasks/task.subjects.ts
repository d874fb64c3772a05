/**
 * NATS request/reply subjects for services that emit tasks without HTTP. Send
 * `Authorization: Bearer <api key>` (and optionally `x-correlation-id`) as message headers.
 * The reply is Nest's envelope: `{ "response": <task> }` or `{ "err": <error body> }`.
 */
export const taskSubjects = {
  create: 'taskinbox.tasks.create',
  get: 'taskinbox.tasks.get',
  claim: 'taskinbox.tasks.claim',
  release: 'taskinbox.tasks.release',
  changeStatus: 'taskinbox.tasks.change-status',
  complete: 'taskinbox.tasks.complete',
  hold: 'taskinbox.tasks.hold',
  resume: 'taskinbox.tasks.resume',
  cancel: 'taskinbox.tasks.cancel',
  comment: 'taskinbox.tasks.comment',
  update: 'taskinbox.tasks.update',
  postInfo: 'taskinbox.tasks.post-info',
  attach: 'taskinbox.tasks.attach',
} as const;
