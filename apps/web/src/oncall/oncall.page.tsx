import { useQueries, useQuery } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { formatDateTime } from '../tasks/task.format';
import '../alerts/alerts.css';

type Span = Schema<'OnCallSpanView'>;
type Target = Schema<'RouteTargetDto'>;
type Schedule = Schema<'ScheduleView'>;
type RoutingRule = Schema<'RoutingRuleView'>;

const names = (span: Span): string => (span.people.length ? span.people.map((person) => person.name).join(', ') : 'nobody');

/** Who is on call now and next on each schedule, and the rules that send new tasks to them. */
export function OnCallPage() {
  const schedules = useQuery({ queryKey: ['oncall', 'schedules'], queryFn: () => answer(api.GET('/api/oncall/schedules')) });
  const onCall = useQueries({
    queries: (schedules.data ?? []).map((schedule) => ({
      queryKey: ['oncall', 'on-call', schedule.id],
      queryFn: () => answer(api.GET('/api/oncall/schedules/{id}/on-call', { params: { path: { id: schedule.id } } })),
      refetchInterval: 60_000,
    })),
  });
  return (
    <div className="stack">
      <h1>On call</h1>
      {schedules.isPending ? (
        <Loading what="schedules" />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} retry={() => schedules.refetch()} />
      ) : schedules.data.length === 0 ? (
        <Empty>No on-call schedules yet.</Empty>
      ) : (
        <ul className="oncall-list" aria-label="Schedules">
          {schedules.data.map((schedule, index) => {
            const who = onCall[index]?.data;
            return (
              <li key={schedule.id} className="card">
                <h2>{schedule.name}</h2>
                {!who ? (
                  <Loading what="who is on call" />
                ) : (
                  <>
                    <p className="now">Now: {names(who.current)}</p>
                    <p className="muted">until {formatDateTime(who.current.end)}</p>
                    {who.next && (
                      <p>
                        Next: {names(who.next)} <span className="muted">from {formatDateTime(who.next.start)}</span>
                      </p>
                    )}
                  </>
                )}
                <p className="muted">Times shown in your zone; the schedule runs in {schedule.timeZone}.</p>
              </li>
            );
          })}
        </ul>
      )}
      <RoutingRules schedules={schedules.data ?? []} />
    </div>
  );
}

function RoutingRules({ schedules }: { schedules: Schedule[] }) {
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: () => answer(api.GET('/api/routing-rules')) });
  const people = useQuery({ queryKey: ['people'], queryFn: () => answer(api.GET('/api/people')) });
  const nameOf = (target: Target): string => {
    if (target.kind === 'schedule') return `on call in ${schedules.find((s) => s.id === target.id)?.name ?? 'a schedule'}`;
    if (target.kind === 'group') return `group ${people.data?.groups.find((g) => g.id === target.id)?.name ?? '…'}`;
    return people.data?.people.find((p) => p.id === target.id)?.name ?? 'someone';
  };
  const matchText = (rule: RoutingRule): string => {
    const parts = [
      rule.match.taskTypes?.length ? `type ${rule.match.taskTypes.join(' or ')}` : '',
      rule.match.priorities?.length ? `urgency ${rule.match.priorities.join(' or ')}` : '',
      rule.match.tags?.length ? `tag ${rule.match.tags.join(' or ')}` : '',
    ].filter(Boolean);
    return parts.length ? parts.join(', ') : 'every new task';
  };
  return (
    <section className="stack" aria-labelledby="rules-title">
      <h2 id="rules-title">Routing rules</h2>
      <p className="muted">The first rule a new task matches assigns it; unclaimed, it escalates step by step.</p>
      {rules.isPending ? (
        <Loading what="routing rules" />
      ) : rules.isError ? (
        <ErrorState error={rules.error} retry={() => rules.refetch()} />
      ) : rules.data.length === 0 ? (
        <Empty>No routing rules: new tasks wait in the shared inbox.</Empty>
      ) : (
        <ol className="oncall-list" aria-label="Routing rules">
          {rules.data.map((rule) => (
            <li key={rule.id} className="card">
              <strong>{rule.name}</strong>
              <p>
                {matchText(rule)} → {nameOf(rule.target)}
              </p>
              {rule.escalation.map((step, index) => (
                <p key={index} className="muted">
                  then after {step.afterMinutes} min unclaimed → {nameOf(step.target)}
                </p>
              ))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
