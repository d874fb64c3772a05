import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';

// Web Push in this browser: the service worker (public/sw.js) and the PushManager subscription
// the server sends to. iOS offers push only to the app added to the Home Screen.

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}

export const pushSupported = (): boolean => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

/** Asks for permission (after the tap that called this), subscribes with the server's key and registers it. */
export async function enablePush(): Promise<void> {
  const { publicKey } = await answer(api.GET('/api/notifications/push/key'));
  if (!publicKey) throw new Error('Push is not set up on this server.');
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('Notifications are blocked for this site.');
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) });
  // A subscription made with a key always has its endpoint and keys (the DOM types leave them optional).
  await answer(api.POST('/api/notifications/push/subscriptions', { body: subscription.toJSON() as Schema<'PushSubscriptionDto'> }));
}

export async function disablePush(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await answer(api.DELETE('/api/notifications/push/subscriptions', { params: { query: { endpoint: subscription.endpoint } } })).catch(() => undefined);
  await subscription.unsubscribe();
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
