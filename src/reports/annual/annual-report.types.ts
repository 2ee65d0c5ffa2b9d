/** The information-processing fees of the year (信息处理费), in yuan. */
export interface AnnualFees {
  /** cases whose fee notice is dated in the year */
  casesCharged: number;
  /** the amounts of those notices */
  amountCharged: number;
  /** cases whose payment is dated in the year */
  casesPaid: number;
  /** the amounts paid in the year */
  amountCollected: number;
}
