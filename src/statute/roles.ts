/** Roles of the API contract. */
export const ROLES = ['clerk', 'supervisor', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
