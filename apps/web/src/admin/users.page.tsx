import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, describeError } from '../api/api.client';
import type { Member, Role } from '../api/api.types';
import { useNotify } from '../layout/notices.context';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useMembers } from '../session/members.query';
import { useSignedIn } from '../session/session.context';
import type { UserGroup } from './admin.types';

const roleLabels: Record<Role, string> = {
  admin: 'Admin: everything, including this page',
  member: 'Member: works on tasks',
  viewer: 'Viewer: reads only',
};
const roles = Object.keys(roleLabels) as Role[];
const membersKey = ['members'] as const;
const groupsKey = ['admin', 'user-groups'] as const;

/** The organisation's people and their roles, and its groups. */
export function UsersPage() {
  const members = useMembers();
  return (
    <div className="stack">
      <section className="stack" aria-labelledby="users-title">
        <h2 id="users-title">Users and roles</h2>
        <p className="note">
          A role change applies from the person’s next action, on every device they use.
        </p>
        <AddMemberForm />
        {members.isPending ? (
          <Loading what="users" />
        ) : members.isError ? (
          <ErrorState error={members.error} retry={() => members.refetch()} />
        ) : members.data.length === 0 ? (
          <Empty>Nobody here yet.</Empty>
        ) : (
          <ul className="admin-list" aria-label="Users">
            {members.data.map((member) => (
              <MemberItem key={member.id} member={member} />
            ))}
          </ul>
        )}
      </section>
      <Groups members={members.data ?? []} />
    </div>
  );
}

function AddMemberForm() {
  const queries = useQueryClient();
  const notify = useNotify();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const add = useMutation({
    mutationFn: (body: { email: string; name: string; password: string; role: Role }) =>
      api<Member>('POST', '/api/users', body),
    onSuccess: (member) => {
      notify(`${member.name || member.email} added as ${member.role}.`, 'success');
      setEmail('');
      setName('');
      setPassword('');
      setRole('member');
      return queries.invalidateQueries({ queryKey: membersKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ email: email.trim(), name: name.trim(), password, role });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="add-user-title">
      <h3 id="add-user-title">Add a person</h3>
      <div className="field-pair">
        <label>
          Name
          <input
            required
            maxLength={200}
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label>
          Email
          <input
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
      </div>
      <div className="field-pair">
        <label>
          Initial password
          <input
            type="password"
            required
            minLength={10}
            maxLength={200}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby="add-user-password-hint"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {roles.map((option) => (
              <option key={option} value={option}>
                {roleLabels[option]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id="add-user-password-hint" className="muted hint">
        At least 10 characters; tell it to them yourself. If the email already has an account elsewhere, its own
        password stays.
      </p>
      {add.isError && (
        <p role="alert" className="error">
          {describeError(add.error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add person'}
      </button>
    </form>
  );
}

function MemberItem({ member }: { member: Member }) {
  const { userId } = useSignedIn();
  const queries = useQueryClient();
  const notify = useNotify();
  const [role, setRole] = useState<Role>(member.role);
  const who = member.name || member.email;
  const change = useMutation({
    mutationFn: (next: Role) => api<void>('PATCH', `/api/users/${encodeURIComponent(member.id)}`, { role: next }),
    onSuccess: (_, next) => {
      notify(`${who} is now ${next}, from their next action.`, 'success');
      return queries.invalidateQueries({ queryKey: membersKey });
    },
  });

  // A select applies nothing by itself: arrow keys on a closed select would otherwise change roles.
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(role);
  }

  return (
    <li className="card">
      <h3 className="break">
        {who}
        {member.id === userId && <span className="muted"> (you)</span>}
      </h3>
      <p className="muted break">{member.email}</p>
      <form className="row role-form" onSubmit={submit}>
        <label className="inline-field">
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as Role)} aria-label={`Role of ${who}`}>
            {roles.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button small" disabled={role === member.role || change.isPending}>
          {change.isPending ? 'Changing…' : 'Change role'}
        </button>
      </form>
      {member.id === userId && role !== 'admin' && (
        <p className="error">You are changing your own role: as soon as it is changed you cannot open this page.</p>
      )}
      {change.isError && (
        <p role="alert" className="error">
          {describeError(change.error)}
        </p>
      )}
    </li>
  );
}

function Groups({ members }: { members: Member[] }) {
  const groups = useQuery({ queryKey: groupsKey, queryFn: () => api<UserGroup[]>('GET', '/api/user-groups') });
  const queries = useQueryClient();
  const notify = useNotify();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (groupName: string) =>
      api<{ id: string; name: string }>('POST', '/api/user-groups', { name: groupName }),
    onSuccess: (group) => {
      notify(`Group “${group.name}” created.`, 'success');
      setName('');
      return queries.invalidateQueries({ queryKey: groupsKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name.trim());
  }

  return (
    <section className="stack" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <p className="muted">Groups collect people under one name. People cannot be taken out of a group here yet.</p>
      <form className="card stack" onSubmit={submit} aria-label="New group">
        <label>
          New group name
          <input
            required
            maxLength={100}
            placeholder="on-call"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        {create.isError && (
          <p role="alert" className="error">
            {describeError(create.error)}
          </p>
        )}
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create group'}
        </button>
      </form>
      {groups.isPending ? (
        <Loading what="groups" />
      ) : groups.isError ? (
        <ErrorState error={groups.error} retry={() => groups.refetch()} />
      ) : groups.data.length === 0 ? (
        <Empty>No groups yet.</Empty>
      ) : (
        <ul className="admin-list" aria-label="Groups">
          {groups.data.map((group) => (
            <GroupItem key={group.id} group={group} members={members} />
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupItem({ group, members }: { group: UserGroup; members: Member[] }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const outside = members.filter((member) => !group.members.includes(member.id));
  const [picked, setPicked] = useState('');
  const add = useMutation({
    mutationFn: (userId: string) =>
      api<void>('POST', `/api/user-groups/${encodeURIComponent(group.id)}/members`, { userId }),
    onSuccess: () => {
      notify(`Added to “${group.name}”.`, 'success');
      setPicked('');
      return queries.invalidateQueries({ queryKey: groupsKey });
    },
  });
  const nameOf = (id: string) => {
    const member = members.find((candidate) => candidate.id === id);
    return member ? member.name || member.email : 'someone who left';
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (picked) add.mutate(picked);
  }

  return (
    <li className="card">
      <h3 className="break">{group.name}</h3>
      <p className="break">
        {group.members.length === 0 ? <span className="muted">Nobody yet.</span> : group.members.map(nameOf).join(', ')}
      </p>
      {outside.length > 0 && (
        <form className="row" onSubmit={submit}>
          <label className="inline-field">
            Add
            <select
              required
              value={picked}
              onChange={(event) => setPicked(event.target.value)}
              aria-label={`Person to add to ${group.name}`}
            >
              <option value="">Choose a person…</option>
              {outside.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name || member.email}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button small" disabled={!picked || add.isPending}>
            {add.isPending ? 'Adding…' : 'Add to group'}
          </button>
        </form>
      )}
      {add.isError && (
        <p role="alert" className="error">
          {describeError(add.error)}
        </p>
      )}
    </li>
  );
}
