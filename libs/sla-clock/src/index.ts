export {
  CoverageCalendar,
  MAX_COVERAGE_GAP_DAYS,
  addCoverage,
  coverageBetween,
  coverageCalendarFor,
  createCoverageCalendar,
  isCovered,
  nextCoverageStart,
  toEpochMs,
  type CalendarDefinition,
  type DatedOverride,
  type InstantInput,
  type Weekday,
} from './coverage-calendar';
export { DAY_MS, HOUR_MS, MINUTE_MS } from './zone-offsets';
