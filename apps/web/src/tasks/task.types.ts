import type { paths } from '@taskinbox/client';

/** What a command answers: the task as its event stream says right after the change (`version` is the minVersion of the read that must show it). */
export type TaskView = paths['/api/tasks/{id}']['get']['responses'][200]['content']['application/json'];
