/**
 * Who is signed in, and what their role lets them do: the navigation hides what the role cannot do (the API
 * checks every request anyway, answering 403 FORBIDDEN). The role table is the server's own
 * (src/domain/operators.ts), imported, not copied.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { roleAllows, type Permission, type Role } from '../../src/domain/operators';

/** Who is signed in: the operator of GET /auth/me (or, for the bootstrap admin token, its login and role). */
export interface Operator {
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
}

export interface Session {
  readonly operator: Operator;
  readonly can: (permission: Permission) => boolean;
  readonly signOut: () => void;
}

export function sessionOf(operator: Operator, signOut: () => void): Session {
  return { operator, can: (p) => roleAllows(operator.role, p), signOut };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in layout');
  return s;
}
