export { addBusinessMinutes, businessMinutesBetween, isOpen, nextOpen } from './business-time.js';
export {
  ALWAYS_OPEN,
  type Calendar,
  calendarProblems,
  type Holiday,
  type Interval,
  type Weekday,
} from './calendar.js';
export { calendarSchema, registerCalendarRoutes } from './calendars.routes.js';
export {
  type CalendarSource,
  calendarForTeam,
  type ResolvedCalendar,
  resolveCalendar,
} from './calendars.service.js';
