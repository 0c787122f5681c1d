// RBAC bindings. Roles and ClusterRoles have no printer upstream: they use the default table
// (NAME, CREATED AT), see index.ts.
import type { Printer } from './printer.js';
import { ageColumn, arr, column, get, nameColumn, str, translateTimestampSince, wideColumn } from './format.js';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts, in subject order. */
export function subjectsStrings(subjects: Subject[]): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects) {
    if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return { users, groups, serviceAccounts };
}

function bindingPrinter(what: 'roleBinding' | 'clusterRoleBinding'): Printer {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn(),
      wideColumn('Users', 'string', `Users in the ${what}`),
      wideColumn('Groups', 'string', `Groups in the ${what}`),
      wideColumn('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`),
    ],
    cells(obj, now) {
      const { users, groups, serviceAccounts } = subjectsStrings(arr(get(obj, 'subjects')));
      return [
        str(obj.metadata.name),
        `${str(get(obj, 'roleRef', 'kind'))}/${str(get(obj, 'roleRef', 'name'))}`,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        users.join(', '),
        groups.join(', '),
        serviceAccounts.join(', '),
      ];
    },
  };
}

/** RoleBindings: NAME ROLE AGE; wide USERS GROUPS SERVICEACCOUNTS. */
export const roleBindingPrinter = bindingPrinter('roleBinding');

/** ClusterRoleBindings: NAME ROLE AGE; wide USERS GROUPS SERVICEACCOUNTS. */
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
