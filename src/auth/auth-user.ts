import type { Role } from '../statute/roles';

/** The signed-in caller, as carried by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  agencyId: string | null;
}
