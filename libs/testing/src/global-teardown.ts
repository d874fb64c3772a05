import { stopRunNats } from './test-nats';

export default async function globalTeardown(): Promise<void> {
  await stopRunNats();
}
