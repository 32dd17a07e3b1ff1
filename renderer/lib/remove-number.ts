import type { Employee } from '../../common/api';

/**
 * What removing an employee's number means for their sign-in, from their two-factor status and
 * method: said in the confirmation before Remove number is sent.
 */
export function removalConsequence(employee: Pick<Employee, 'firstName' | 'twoFactor'>): string {
  const name = employee.firstName;
  const { status, method } = employee.twoFactor;
  if (status === 'active' && method === 'totp') {
    return `${name} signs in with an authenticator app, so ${name}’s sign-in keeps working. Codes by text message or voice call will no longer be possible.`;
  }
  if (status === 'active') {
    return `${name} gets sign-in codes on this number. Without a number, ${name} cannot sign in to the portal until a new number is added or an authenticator app is set up.`;
  }
  if (status === 'pending') {
    return `${name}’s two-factor sign-in is still being set up with this number. Without a number it cannot be finished, and ${name} cannot sign in until a new number is added or an authenticator app is set up.`;
  }
  return `${name} has not set up two-factor sign-in. Without a number, it can only be set up with an authenticator app.`;
}
