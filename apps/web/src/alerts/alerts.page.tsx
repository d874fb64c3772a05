import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { answer, api, describeError } from '../api/api.client';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useNotify } from '../layout/notices.context';
import { formatAgo, formatDateTime } from '../tasks/task.format';
import { type AppNotification, type Channel, notificationsKey, type Preferences, type Urgency, useNotifications } from './alerts.queries';
import { currentSubscription, disablePush, enablePush, pushSupported } from './push.subscription';
import './alerts.css';

const urgencies: Urgency[] = ['urgent', 'high', 'normal', 'low'];
const channelLabels: Record<Channel, string> = { push: 'Push', email: 'E-mail', digest: 'Digest' };
const kindLabels: Record<AppNotification['kind'], string> = { assigned: 'Assigned', escalated: 'Escalated', urgent: 'Urgent' };

/** What needs you: notifications (read/unread), push on this device, and how and when you want to hear. */
export function AlertsPage() {
  return (
    <div className="stack alerts">
      <h1>Alerts</h1>
      <NotificationList />
      <PushToggle />
      <PreferencesForm />
    </div>
  );
}

function NotificationList() {
  const list = useNotifications();
  const queries = useQueryClient();
  const read = useMutation({
    mutationFn: (id?: string) =>
      answer(id ? api.POST('/api/notifications/{id}/read', { params: { path: { id } } }) : api.POST('/api/notifications/read')),
    onSuccess: () => queries.invalidateQueries({ queryKey: notificationsKey }),
  });
  if (list.isPending) return <Loading what="notifications" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => list.refetch()} />;
  return (
    <section className="stack" aria-labelledby="notifications-title">
      <div className="row">
        <h2 id="notifications-title">Notifications</h2>
        <span className="badge">{list.data.unread} unread</span>
        <span className="spacer" />
        {list.data.unread > 0 && (
          <button type="button" className="button small" onClick={() => read.mutate(undefined)}>
            Mark all read
          </button>
        )}
      </div>
      {list.data.items.length === 0 ? (
        <Empty>Nothing yet: assignments, escalations and urgent tasks show up here.</Empty>
      ) : (
        <ul className="notification-list" aria-label="Notifications">
          {list.data.items.map((item) => (
            <li key={item.id} className={`card ${item.readAt ? 'read' : 'unread'}`}>
              <div className="row">
                <span className={`badge urgency-${item.urgency}`}>{kindLabels[item.kind]}</span>
                <span className="muted">{formatAgo(item.createdAt)}</span>
                {item.heldUntil && <span className="muted">held until {formatDateTime(item.heldUntil)} (quiet hours)</span>}
              </div>
              <Link to={item.link} onClick={() => !item.readAt && read.mutate(item.id)}>
                {item.title}
              </Link>
              <div className="row">
                <span className="muted">{item.body}</span>
                <span className="spacer" />
                {!item.readAt && (
                  <button type="button" className="button small" onClick={() => read.mutate(item.id)}>
                    Mark read
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PushToggle() {
  const notify = useNotify();
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void currentSubscription()
      .then((subscription) => setOn(subscription !== null))
      .catch(() => setOn(false));
  }, []);
  if (!pushSupported()) {
    return (
      <p className="muted">
        This browser cannot receive push notifications here. On an iPhone, add taskinbox to the Home Screen first.
      </p>
    );
  }
  async function toggle() {
    setBusy(true);
    try {
      if (on) await disablePush();
      else await enablePush();
      setOn(!on);
    } catch (error) {
      notify(describeError(error), 'error');
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card row" aria-label="Push on this device">
      <span>
        Push notifications on this device: <strong>{on === null ? '…' : on ? 'on' : 'off'}</strong>
      </span>
      <span className="spacer" />
      <button type="button" className="button" disabled={busy || on === null} onClick={() => void toggle()}>
        {on ? 'Turn off' : 'Turn on'}
      </button>
    </section>
  );
}

function PreferencesForm() {
  const preferences = useQuery({
    queryKey: ['notification-preferences'],
    queryFn: () => answer(api.GET('/api/notifications/preferences')),
  });
  if (preferences.isPending) return <Loading what="your preferences" />;
  if (preferences.isError) return <ErrorState error={preferences.error} retry={() => preferences.refetch()} />;
  return <PreferencesEditor initial={preferences.data} />;
}

function PreferencesEditor({ initial }: { initial: Preferences }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const [draft, setDraft] = useState<Preferences>(() => ({
    ...initial,
    timeZone: initial.timeZone === 'UTC' ? Intl.DateTimeFormat().resolvedOptions().timeZone : initial.timeZone,
  }));
  const [quiet, setQuiet] = useState(initial.quietHours ?? { start: '22:00', end: '07:00' });
  const [quietOn, setQuietOn] = useState(initial.quietHours !== null);
  const save = useMutation({
    mutationFn: (body: Preferences) => answer(api.PUT('/api/notifications/preferences', { body })),
    onSuccess: (saved) => {
      queries.setQueryData(['notification-preferences'], saved);
      notify('Preferences saved.', 'success');
    },
  });
  const toggle = (urgency: Urgency, channel: Channel) =>
    setDraft((current) => {
      const list = current.channels[urgency];
      const next = list.includes(channel) ? list.filter((item) => item !== channel) : [...list, channel];
      return { ...current, channels: { ...current.channels, [urgency]: next } };
    });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...draft, quietHours: quietOn ? quiet : null });
  }
  return (
    <form className="card stack" aria-labelledby="preferences-title" onSubmit={submit}>
      <h2 id="preferences-title">How to reach you</h2>
      <table className="channel-table">
        <caption className="visually-hidden">Channels per urgency</caption>
        <thead>
          <tr>
            <th scope="col">Urgency</th>
            {(Object.keys(channelLabels) as Channel[]).map((channel) => (
              <th scope="col" key={channel}>
                {channelLabels[channel]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {urgencies.map((urgency) => (
            <tr key={urgency}>
              <th scope="row">{urgency}</th>
              {(Object.keys(channelLabels) as Channel[]).map((channel) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    aria-label={`${channelLabels[channel]} for ${urgency}`}
                    checked={draft.channels[urgency].includes(channel)}
                    onChange={() => toggle(urgency, channel)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <label className="check">
        <input type="checkbox" checked={quietOn} onChange={(event) => setQuietOn(event.target.checked)} />
        Quiet hours (urgent still comes through)
      </label>
      {quietOn && (
        <div className="row quiet-hours">
          <label>
            From
            <input type="time" value={quiet.start} onChange={(event) => setQuiet({ ...quiet, start: event.target.value })} />
          </label>
          <label>
            To
            <input type="time" value={quiet.end} onChange={(event) => setQuiet({ ...quiet, end: event.target.value })} />
          </label>
        </div>
      )}
      <label>
        Your time zone
        <input value={draft.timeZone} onChange={(event) => setDraft({ ...draft, timeZone: event.target.value })} />
      </label>
      {save.isError && <p className="error">{describeError(save.error)}</p>}
      <button type="submit" className="button primary" disabled={save.isPending}>
        Save preferences
      </button>
    </form>
  );
}
