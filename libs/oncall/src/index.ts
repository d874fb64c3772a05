export * from './oncall.module';
export * from './oncall.clock';
export { ScheduleService } from './schedules/schedule.service';
export { OrgPeople, type Person } from './people/org-people';
export { addDays, atMinute, instantOf, isTimeZone, parseClockTime, wallClock } from './pure';
export { ClockTime, OneLine, TimeZone } from './oncall.checks';
export { escalationActor, routingActor } from './routing/task.router';
