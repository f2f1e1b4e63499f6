import type { UserView } from '@app/contracts/views';
import { api, ApiError, describeError } from './api';
import { ChatApp } from './chat-app';
import { renderLoginView } from './views/login-view';

// Entry point: the `sid` cookie decides which screen comes first.
const root = document.getElementById('app') as HTMLElement;

function showLogin(notice?: string): void {
  renderLoginView(root, { notice, signedIn: (user, token) => startApp(user, token) });
}

function startApp(user: UserView, token?: string): void {
  new ChatApp(root, user, token, (notice) => showLogin(notice));
}

async function boot(): Promise<void> {
  try {
    const { user } = await api.me();
    startApp(user);
  } catch (err) {
    showLogin(err instanceof ApiError && err.status === 401 ? undefined : describeError(err));
  }
}

void boot();
