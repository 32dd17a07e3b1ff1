import type { IpcError } from '../../common/ipc';

/** "45 seconds", "1 minute", "3 minutes", "2 hours": a wait in words, rounded up. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** "0:27", "1:05": a countdown as people read it on a clock. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * One plain sentence for an error from the bridge. Main's own message is used where it carries the
 * specifics (validation, the bridge being down); otherwise a fixed sentence per code, so nothing
 * technical (status codes, stack traces, host names of proxies) reaches the administrator.
 */
export function describeError(error: IpcError): string {
  switch (error.code) {
    case 'offline':
      return 'The portal cannot be reached. Check the network connection and try again.';
    case 'timeout':
      return 'The portal took too long to answer. Try again.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return error.message.trim() !== '' && !/^forbidden$/i.test(error.message)
        ? error.message
        : 'Only a portal administrator can do this.';
    case 'not_found':
      return 'This employee no longer exists on the portal.';
    case 'conflict':
      return 'Someone changed this employee on the portal while you were editing.';
    case 'validation': {
      const field = error.fields?.[0]?.message;
      return field ?? (error.message || 'The portal did not accept this value.');
    }
    case 'rate_limited':
      return error.retryAfterSeconds !== undefined
        ? `Too many attempts. Try again in ${formatWait(error.retryAfterSeconds)}.`
        : 'Too many attempts. Wait a little and try again.';
    case 'locked':
      if (error.retryAfterSeconds !== undefined) return `This account is locked for now. Try again in ${formatWait(error.retryAfterSeconds)}.`;
      // Main passes the portal's reason when it gave one (too many wrong codes in a row).
      return error.message.startsWith('Too many wrong codes') ? error.message : 'This account is locked. Ask a portal administrator to unlock it.';
    case 'step_up_required':
      return 'Confirm it is you: enter a code from your second factor to continue.';
    case 'invalid_credentials':
      return 'The email or password is not right.';
    case 'invalid_code':
      return error.attemptsLeft !== undefined ? `That code is not right. ${attemptsLeftText(error.attemptsLeft)}` : 'That code is not right.';
    case 'challenge_expired':
      return 'This sign-in has expired. Enter your email and password again.';
    case 'tls_untrusted':
      return "The portal's certificate is not trusted, so Portal Admin did not connect. Check the portal address and its certificate file.";
    case 'not_configured':
      return 'No portal is set up yet. Enter the portal address first.';
    case 'keychain_unavailable':
      // Main says what the keychain was needed for (drafts, the offline copy, a remembered sign-in).
      return error.message || 'The system keychain cannot be reached. Unlock it (on Linux: start a Secret Service such as GNOME Keyring) and try again.';
    case 'forbidden_sender':
      return error.message || 'This window is not connected to Portal Admin. Open Portal Admin again.';
    case 'invalid_input':
      return error.message ? `Portal Admin could not send this: ${lowerFirst(error.message)}` : 'Portal Admin could not send this request.';
    case 'unsynced_drafts':
      return 'Some drafts have not been sent to the portal yet. Choose whether to keep or discard them.';
    case 'storage':
      return 'Portal Admin could not read or write its encrypted files on this computer. Check the free disk space and try again.';
    case 'server':
      return 'The portal had a problem answering. Try again in a moment.';
  }
}

export function attemptsLeftText(attemptsLeft: number): string {
  if (attemptsLeft === 0) return 'No attempts are left.';
  return `${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
