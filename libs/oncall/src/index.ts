export * from './oncall.module';
export * from './oncall.clock';
export { ScheduleService } from './schedules/schedule.service';
export { OrgPeople, type Person } from './people/org-people';
