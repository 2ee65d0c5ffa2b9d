/**
 * Working days in (a, b] in SQL, by a subtraction over working-day ordinals passed as query parameters (the window's
 * first date and the ordinals array of `workingDayOrdinals`): NULL when either date lies outside the window.
 * `a` and `b` are date expressions; `fromParam` and `ordinalsParam` the parameters' placeholders.
 */
export function workingDaysSql(a: string, b: string, fromParam: string, ordinalsParam: string): string {
  return `((${ordinalsParam}::int[])[(${b}) - ${fromParam}::date + 1] - (${ordinalsParam}::int[])[(${a}) - ${fromParam}::date + 1])`;
}
