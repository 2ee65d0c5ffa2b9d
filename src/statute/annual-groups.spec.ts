import fc from 'fast-check';
import { annualGroupCounts, buildAnnualTables, previousCarriedOut, type AnnualGroupRow, type ApplicationCounts } from './annual-report';
import { APPLICANT_TYPES, type ApplicantType } from './intake';
import { OUTCOME_CODES, type OutcomeCode } from './outcomes';

/** A case on a toy calendar: year k is days [k·10, k·10 + 9]; concluded on or after it was received, or open. */
type Case = [type: ApplicantType, received: number, concluded: number | null, outcome: OutcomeCode];
const caseArb = fc
  .tuple(fc.constantFrom(...APPLICANT_TYPES), fc.nat(39), fc.option(fc.nat(25), { nil: null }), fc.constantFrom(...OUTCOME_CODES))
  .map(([type, received, took, outcome]): Case => [type, received, took === null ? null : received + took, outcome]);
const YEAR_DAYS = 10;

/** Each case on its own, as annual-report.md defines the counts: one group per case, every count 0 or 1. */
function bruteForce(cases: Case[], s: number, e: number): ApplicationCounts[] {
  const n = (b: boolean) => (b ? 1 : 0);
  return cases.map(([applicantType, r, c, outcome]) => {
    const concludedIn = c !== null && c >= s && c <= e;
    return {
      applicantType,
      outcome: concludedIn ? outcome : null,
      new: n(r >= s && r <= e),
      carriedIn: n(r < s && (c === null || c >= s)),
      concluded: n(concludedIn),
      carriedOut: n(r <= e && (c === null || c > e)),
      carriedOutPrevious: n(r <= s - 1 && (c === null || c > s - 1)),
    };
  });
}

/** What the repository's query returns: the three disjoint ranges, grouped by type, outcome and the three flags. */
function queryRows(cases: Case[], s: number, e: number): AnnualGroupRow[] {
  const read = cases.filter(([, r, c]) => (r >= s && r <= e) || (r < s && c !== null && c >= s) || (r < s && c === null));
  const groups = new Map<string, AnnualGroupRow>();
  for (const [applicantType, r, c, outcome] of read) {
    const row = { applicantType, outcome, fresh: r >= s, inYear: c !== null && c >= s && c <= e, out: c === null || c > e };
    const key = JSON.stringify(row);
    const g = groups.get(key) ?? { ...row, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  return [...groups.values()];
}

describe('annual report: table 三 from the query groups (annualGroupCounts)', () => {
  it('gives the tables and the previous carried-out row the definitions give, for any cases', () => {
    fc.assert(
      fc.property(fc.array(caseArb, { maxLength: 80 }), fc.integer({ min: 0, max: 3 }), (cases, y) => {
        const s = y * YEAR_DAYS;
        const e = s + YEAR_DAYS - 1;
        const want = bruteForce(cases, s, e);
        const got = annualGroupCounts(queryRows(cases, s, e));
        expect(buildAnnualTables(2021 + y, got, [])).toEqual(buildAnnualTables(2021 + y, want, []));
        expect(previousCarriedOut(got)).toEqual(previousCarriedOut(want));
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });

  it('refuses a count that is not a non-negative integer', () => {
    const row: AnnualGroupRow = { applicantType: APPLICANT_TYPES[0], outcome: null, fresh: true, inYear: false, out: true, count: -1 };
    expect(() => annualGroupCounts([row])).toThrow(RangeError);
  });
});
