import { Redis } from 'ioredis';

/** Removes a test run's BullMQ queue from Redis (its keys are `bull:<name>:*`). */
export async function dropQueue(queueName: string, redisUrl = 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`bull:${queueName}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
