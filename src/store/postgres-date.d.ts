// postgres-date 1.x (the timestamp parser pg-types uses) ships no types of its own.
declare module 'postgres-date' {
  /** A Date, ±Infinity for 'infinity'/'-infinity', or null when the text is not a date. */
  function parseDate(isoDate: string): Date | number | null;
  export = parseDate;
}
