export * from './notifications.module';
export { createNotificationQueue, deliverJobId, type NotificationJobs } from './delivery/notification.jobs';
