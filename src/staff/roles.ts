/**
 * Staff roles, lowest first (SPEC §12): each role may do everything the ones before it may.
 * agent: work tickets and callbacks; editor: + publish FAQ answers; supervisor: + reports, outages,
 * reinstating refused requests; admin: everything, staff accounts and the unmasked originals.
 */
export const ROLES = ['agent', 'editor', 'supervisor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** Whether `value` names a role (input from a form or the command line). */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `role` may do what needs at least `min`. */
export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** The role's name as staff read it. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  agent: 'Agent',
  editor: 'Editor',
  supervisor: 'Supervisor',
  admin: 'Administrator',
};

/** What each role may do, in a sentence (the staff accounts page and the role menu). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  agent: 'works tickets and callbacks',
  editor: 'an agent who can also publish FAQ answers',
  supervisor: 'an editor who can also read reports, declare outages and reinstate refused requests',
  admin: 'can do everything, including staff accounts and the unmasked originals',
};

const A_ROLE: Readonly<Record<Role, string>> = {
  agent: 'an agent',
  editor: 'an editor',
  supervisor: 'a supervisor',
  admin: 'an administrator',
};

/** Who may do what needs `min`, in plain words: "a supervisor or an administrator". */
export function whoMay(min: Role): string {
  const names = ROLES.slice(ROLES.indexOf(min)).map((r) => A_ROLE[r]);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
