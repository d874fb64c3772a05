// taskinbox's service worker: shows Web Push notifications and opens the task a tap names.
// Plain script, served as it is from the app's origin (CSP: worker-src falls back to 'self').

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message = { title: 'taskinbox', body: 'Something needs you.', url: '/', topic: 'taskinbox' };
  try {
    message = { ...message, ...event.data.json() };
  } catch {
    // An empty or foreign payload still says something arrived.
  }
  // The tag is the push Topic (one per task): a newer notification replaces the older one on the device.
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.topic,
      renotify: true,
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      data: { url: message.url },
      actions: [{ action: 'open', title: 'Open task' }],
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  // Only the app's own pages: a payload cannot send the person elsewhere.
  const url = target.origin === self.location.origin ? target.href : self.location.origin + '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url.startsWith(self.location.origin) && 'navigate' in client);
      if (open) return open.navigate(url).then((client) => (client || open).focus());
      return self.clients.openWindow(url);
    }),
  );
});
