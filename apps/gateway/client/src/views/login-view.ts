import type { UserView } from '@app/contracts/views';
import { api, ApiError, describeError } from '../api';
import { h, replaceChildren } from '../dom';

export interface LoginViewOptions {
  /** Shown above the form, e.g. "You have logged out." */
  notice?: string;
  signedIn(user: UserView, token: string): void;
}

/** Log-in / register page: Register creates the account and opens a session at once. */
export function renderLoginView(root: HTMLElement, options: LoginViewOptions): void {
  const username = h('input', {
    id: 'login-username',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: 32,
    'aria-describedby': 'login-username-hint',
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 128,
    'aria-describedby': 'login-password-hint',
  });
  const logIn = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const register = h('button', { type: 'button' }, 'Register');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const notice = h('p', { class: 'notice', role: 'status' }, options.notice ?? '');

  const form = h(
    'form',
    { class: 'card auth-card', 'aria-labelledby': 'login-title', novalidate: true },
    h('h1', { id: 'login-title' }, 'Chat'),
    h('p', { class: 'muted' }, 'Log in, or register a new account.'),
    notice,
    h('label', { for: 'login-username' }, 'Username'),
    username,
    h('p', { class: 'hint', id: 'login-username-hint' }, '3–32 letters, digits, “_”, “.” or “-”.'),
    h('label', { for: 'login-password' }, 'Password'),
    password,
    h('p', { class: 'hint', id: 'login-password-hint' }, 'At least 8 characters.'),
    error,
    h('div', { class: 'actions' }, logIn, register),
  );

  const run = async (registering: boolean): Promise<void> => {
    const name = username.value.trim();
    if (!name || !password.value) {
      error.textContent = 'Enter a username and a password.';
      (name ? password : username).focus();
      return;
    }
    error.textContent = '';
    notice.textContent = registering ? 'Creating your account…' : 'Logging in…';
    logIn.disabled = register.disabled = true;
    try {
      // Registering signs straight in, as people expect of a chat app.
      if (registering) await api.register(name, password.value);
      const reply = await api.login(name, password.value);
      options.signedIn(reply.user, reply.token);
    } catch (err) {
      notice.textContent = '';
      error.textContent = describeError(err);
      if (err instanceof ApiError && err.code === 'USERNAME_TAKEN') username.focus();
      else if (err instanceof ApiError && err.code === 'INVALID_CREDENTIALS') password.select();
      logIn.disabled = register.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(false);
  });
  register.addEventListener('click', () => void run(true));

  document.title = 'Log in – Chat';
  replaceChildren(root, h('main', { class: 'auth' }, form));
  username.focus();
}
