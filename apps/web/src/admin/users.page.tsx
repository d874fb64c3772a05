import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api, describeError } from '../api/api.client';
import type { Member, Role } from '../api/api.types';
import { useNotify } from '../layout/notices.context';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useMembers } from '../session/members.query';
import { useSignedIn } from '../session/session.context';
import { formatDateTime } from '../tasks/task.format';
import type { Invitation, UserGroup } from './admin.types';
import { ConfirmButton } from './confirm.button';
import { OneTimeSecret } from './one-time-secret.panel';

const roleLabels: Record<Role, string> = {
  admin: 'Admin: everything, including this page',
  member: 'Member: works on tasks',
  viewer: 'Viewer: reads only',
};
const roles = Object.keys(roleLabels) as Role[];
const membersKey = ['members'] as const;
const groupsKey = ['admin', 'user-groups'] as const;
const invitationsKey = ['admin', 'invitations'] as const;

/** A link the API hands out once: an invitation or a password reset, to pass on to the person. */
interface ShownLink {
  title: string;
  label: string;
  link: string;
  note: string;
}

/** The organisation's people: invitations, roles, blocking, removal, reset links; and its groups. */
export function UsersPage() {
  const members = useMembers();
  const [shown, setShown] = useState<ShownLink | null>(null);
  return (
    <div className="stack">
      <section className="stack" aria-labelledby="users-title">
        <h2 id="users-title">Users and roles</h2>
        <p className="note">
          A role change, a block or a removal applies from the person’s next action, on every device they use. Nobody
          here sets or sees anyone’s password: people choose their own through the links you pass on.
        </p>
        {shown && (
          <OneTimeSecret title={shown.title} label={shown.label} value={shown.link} onDismiss={() => setShown(null)}>
            <p className="muted hint">{shown.note}</p>
          </OneTimeSecret>
        )}
        <InviteForm onIssued={setShown} />
        <PendingInvitations />
        {members.isPending ? (
          <Loading what="users" />
        ) : members.isError ? (
          <ErrorState error={members.error} retry={() => members.refetch()} />
        ) : members.data.length === 0 ? (
          <Empty>Nobody here yet.</Empty>
        ) : (
          <ul className="admin-list" aria-label="Users">
            {members.data.map((member) => (
              <MemberItem key={member.id} member={member} onResetLink={setShown} />
            ))}
          </ul>
        )}
      </section>
      <Groups members={members.data ?? []} />
    </div>
  );
}

function InviteForm({ onIssued }: { onIssued: (link: ShownLink) => void }) {
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invite = useMutation({
    mutationFn: (body: { email: string; role: Role }) => answer(api.POST('/api/invitations', { body })),
    // The answer carries the link: kept in the parent's state only, forgotten by the cache at once.
    gcTime: 0,
    onSuccess: (issued) => {
      onIssued({
        title: `Invitation for ${issued.email}`,
        label: `Invitation link for ${issued.email}`,
        link: issued.link,
        note: `Send it to them yourself. It works once, until ${formatDateTime(issued.expiresAt)}: they choose their own password, or join with the account they already have.`,
      });
      setEmail('');
      setRole('member');
      return queries.invalidateQueries({ queryKey: invitationsKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="invite-title">
      <h3 id="invite-title">Invite a person</h3>
      <div className="field-pair">
        <label>
          Email
          <input type="email" required maxLength={320} autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />
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
      {invite.isError && (
        <p role="alert" className="error">
          {describeError(invite.error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={invite.isPending}>
        {invite.isPending ? 'Inviting…' : 'Invite'}
      </button>
    </form>
  );
}

function PendingInvitations() {
  const invitations = useQuery({ queryKey: invitationsKey, queryFn: () => answer(api.GET('/api/invitations')) });
  const queries = useQueryClient();
  const notify = useNotify();
  const withdraw = useMutation({
    mutationFn: (invitation: Invitation) => answer(api.DELETE('/api/invitations/{id}', { params: { path: { id: invitation.id } } })),
    onSuccess: (_, invitation) => {
      notify(`The invitation for ${invitation.email} no longer works.`, 'success');
      return queries.invalidateQueries({ queryKey: invitationsKey });
    },
  });
  if (invitations.isPending || invitations.isError || invitations.data.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="pending-title">
      <h3 id="pending-title">Invited, not joined yet</h3>
      <ul className="admin-list compact" aria-label="Pending invitations">
        {invitations.data.map((invitation) => (
          <li key={invitation.id} className="card">
            <p className="break">
              {invitation.email} <span className="muted">as {invitation.role}, until {formatDateTime(invitation.expiresAt)}</span>
            </p>
            <ConfirmButton
              label="Withdraw"
              question={`Withdraw the invitation for ${invitation.email}? Its link stops working.`}
              confirmLabel="Withdraw invitation"
              busy={withdraw.isPending && withdraw.variables?.id === invitation.id}
              onConfirm={() => withdraw.mutate(invitation)}
            />
          </li>
        ))}
      </ul>
      {withdraw.isError && (
        <p role="alert" className="error">
          {describeError(withdraw.error)}
        </p>
      )}
    </section>
  );
}

function MemberItem({ member, onResetLink }: { member: Member; onResetLink: (link: ShownLink) => void }) {
  const { userId } = useSignedIn();
  const queries = useQueryClient();
  const notify = useNotify();
  const [role, setRole] = useState<Role>(member.role);
  const who = member.name || member.email;
  const isMe = member.id === userId;
  const onMember = { params: { path: { id: member.id } } };
  const refreshPeople = () =>
    Promise.all([queries.invalidateQueries({ queryKey: membersKey }), queries.invalidateQueries({ queryKey: groupsKey })]);
  const change = useMutation({
    mutationFn: (next: Role) => answer(api.PATCH('/api/users/{id}', { ...onMember, body: { role: next } })),
    onSuccess: (_, next) => {
      notify(`${who} is now ${next}, from their next action.`, 'success');
      return refreshPeople();
    },
  });
  const scope = useMutation({
    mutationFn: (assignedOnly: boolean) => answer(api.PATCH('/api/users/{id}', { ...onMember, body: { assignedOnly } })),
    onSuccess: (_, assignedOnly) => {
      notify(assignedOnly ? `${who} now sees only tasks assigned to them or their groups.` : `${who} sees every task again.`, 'success');
      return refreshPeople();
    },
  });
  const block = useMutation({
    mutationFn: (blocked: boolean) => answer(blocked ? api.POST('/api/users/{id}/block', onMember) : api.POST('/api/users/{id}/unblock', onMember)),
    onSuccess: (_, blocked) => {
      notify(blocked ? `${who} is blocked and has been signed out here.` : `${who} can sign in again.`, 'success');
      return refreshPeople();
    },
  });
  const remove = useMutation({
    mutationFn: () => answer(api.DELETE('/api/users/{id}', onMember)),
    onSuccess: () => {
      notify(`${who} is no longer in this organisation.`, 'success');
      return refreshPeople();
    },
  });
  const reset = useMutation({
    mutationFn: () => answer(api.POST('/api/users/{id}/password-reset', onMember)),
    gcTime: 0,
    onSuccess: (issued) =>
      onResetLink({
        title: `Password reset for ${who}`,
        label: `Password reset link for ${who}`,
        link: issued.link,
        note: `Send it to them yourself. It works once, until ${formatDateTime(issued.expiresAt)}, and signs them out everywhere.`,
      }),
  });
  const failure = [change, scope, block, remove, reset].find((mutation) => mutation.isError)?.error;

  // A select applies nothing by itself: arrow keys on a closed select would otherwise change roles.
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(role);
  }

  return (
    <li className={`card${member.blocked ? ' revoked' : ''}`}>
      <h3 className="break">
        {who}
        {isMe && <span className="muted"> (you)</span>}
        {member.blocked && <span className="badge"> Blocked</span>}
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
      {member.role !== 'admin' && (
        <label className="check">
          <input
            type="checkbox"
            checked={member.assignedOnly}
            disabled={scope.isPending}
            onChange={(event) => scope.mutate(event.target.checked)}
          />
          Only tasks assigned to them or their groups
        </label>
      )}
      {isMe && role !== 'admin' && (
        <p className="error">You are changing your own role: as soon as it is changed you cannot open this page.</p>
      )}
      {!isMe && (
        <div className="row">
          {member.blocked ? (
            <button type="button" className="button small" disabled={block.isPending} onClick={() => block.mutate(false)}>
              {block.isPending ? 'Unblocking…' : 'Unblock'}
            </button>
          ) : (
            <ConfirmButton
              label="Block"
              question={`Block ${who}? They are signed out here at once and cannot sign in to this organisation until unblocked.`}
              confirmLabel={`Block ${who}`}
              busy={block.isPending}
              onConfirm={() => block.mutate(true)}
            />
          )}
          <ConfirmButton
            label="Password reset link"
            question={`Make a single-use link for ${who} to choose a new password? Their current password keeps working until they use it.`}
            confirmLabel="Make the link"
            danger={false}
            busy={reset.isPending}
            onConfirm={() => reset.mutate()}
          />
          <ConfirmButton
            label="Remove"
            question={`Remove ${who} from this organisation and its groups? Their account stays for other organisations.`}
            confirmLabel={`Remove ${who}`}
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
      {failure && (
        <p role="alert" className="error">
          {describeError(failure)}
        </p>
      )}
    </li>
  );
}

function Groups({ members }: { members: Member[] }) {
  const groups = useQuery({ queryKey: groupsKey, queryFn: () => answer(api.GET('/api/user-groups')) });
  const queries = useQueryClient();
  const notify = useNotify();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: (groupName: string) => answer(api.POST('/api/user-groups', { body: { name: groupName } })),
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
      <p className="muted">Groups collect people under one name.</p>
      <form className="card stack" onSubmit={submit} aria-label="New group">
        <label>
          New group name
          <input required maxLength={100} placeholder="on-call" value={name} onChange={(event) => setName(event.target.value)} />
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
  const [newName, setNewName] = useState(group.name);
  const onGroup = { params: { path: { id: group.id } } };
  const refresh = () => queries.invalidateQueries({ queryKey: groupsKey });
  const add = useMutation({
    mutationFn: (userId: string) => answer(api.POST('/api/user-groups/{id}/members', { ...onGroup, body: { userId } })),
    onSuccess: () => {
      notify(`Added to “${group.name}”.`, 'success');
      setPicked('');
      return refresh();
    },
  });
  const takeOut = useMutation({
    mutationFn: (userId: string) =>
      answer(api.DELETE('/api/user-groups/{id}/members/{userId}', { params: { path: { id: group.id, userId } } })),
    onSuccess: () => refresh(),
  });
  const rename = useMutation({
    mutationFn: (nextName: string) => answer(api.PATCH('/api/user-groups/{id}', { ...onGroup, body: { name: nextName } })),
    onSuccess: (_, nextName) => {
      notify(`“${group.name}” is now “${nextName}”.`, 'success');
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => answer(api.DELETE('/api/user-groups/{id}', onGroup)),
    onSuccess: () => {
      notify(`Group “${group.name}” deleted.`, 'success');
      return refresh();
    },
  });
  const failure = [add, takeOut, rename, remove].find((mutation) => mutation.isError)?.error;
  const nameOf = (id: string) => {
    const member = members.find((candidate) => candidate.id === id);
    return member ? member.name || member.email : 'someone who left';
  };

  return (
    <li className="card">
      <h3 className="break">{group.name}</h3>
      {group.members.length === 0 ? (
        <p className="muted">Nobody yet.</p>
      ) : (
        <ul className="admin-list compact" aria-label={`Members of ${group.name}`}>
          {group.members.map((id) => (
            <li key={id} className="row">
              <span className="break">{nameOf(id)}</span>
              <button
                type="button"
                className="button small"
                disabled={takeOut.isPending}
                aria-label={`Take ${nameOf(id)} out of ${group.name}`}
                onClick={() => takeOut.mutate(id)}
              >
                Take out
              </button>
            </li>
          ))}
        </ul>
      )}
      {outside.length > 0 && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            if (picked) add.mutate(picked);
          }}
        >
          <label className="inline-field">
            Add
            <select required value={picked} onChange={(event) => setPicked(event.target.value)} aria-label={`Person to add to ${group.name}`}>
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
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          rename.mutate(newName.trim());
        }}
      >
        <label className="inline-field">
          Name
          <input required maxLength={100} value={newName} onChange={(event) => setNewName(event.target.value)} aria-label={`New name for ${group.name}`} />
        </label>
        <button type="submit" className="button small" disabled={newName.trim() === group.name || rename.isPending}>
          {rename.isPending ? 'Renaming…' : 'Rename'}
        </button>
        <ConfirmButton
          label="Delete group"
          question={`Delete “${group.name}”? Its people stay in the organisation.`}
          confirmLabel={`Delete “${group.name}”`}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </form>
      {failure && (
        <p role="alert" className="error">
          {describeError(failure)}
        </p>
      )}
    </li>
  );
}
