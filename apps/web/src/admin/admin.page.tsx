import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useSignedIn } from '../session/session.context';
import { ApiKeysPage } from './api-keys.page';
import { UsersPage } from './users.page';
import { WebhookEndpointPage } from './webhook-endpoint.page';
import { WebhookEndpointsPage } from './webhook-endpoints.page';
import './admin.css';

/** Webhooks, API keys and people; the API refuses non-admins anyway, this only says so kindly. */
export function AdminPage() {
  const { role } = useSignedIn();
  if (role !== 'admin') {
    return (
      <section className="admin">
        <h1>Admin</h1>
        <p>Only administrators can open this page.</p>
      </section>
    );
  }
  return (
    <section className="admin">
      <h1>Admin</h1>
      <nav aria-label="Admin sections" className="tabs admin-tabs">
        <NavLink to="/admin/webhooks" className="button small">
          Webhooks
        </NavLink>
        <NavLink to="/admin/api-keys" className="button small">
          API keys
        </NavLink>
        <NavLink to="/admin/users" className="button small">
          Users
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/admin/webhooks" replace />} />
        <Route path="webhooks" element={<WebhookEndpointsPage />} />
        <Route path="webhooks/:endpointId" element={<WebhookEndpointPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="*" element={<p>This admin page does not exist.</p>} />
      </Routes>
    </section>
  );
}
