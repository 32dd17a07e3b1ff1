import { watch, type WatchStopHandle } from 'vue';
import { runInBackground } from '../lib/background';
import { useAuthStore } from './auth';
import { useDraftsStore } from './drafts';
import { useEmployeesStore } from './employees';
import { useNavigationStore } from './navigation';
import { useNotificationsStore } from './notifications';

/**
 * The one place that decides what a change of session clears: the rows and drafts of one session
 * (or account) are never shown in another. Synchronous, so nothing renders in between.
 *
 * The signed-in shell starts it when it mounts (it is loaded only once there is a session, which keeps
 * the employee list and the phone rules out of the sign-in page's bundle); leaving the session runs
 * the callback before the shell unmounts and stops it.
 */
export function followSessionLifecycle(): WatchStopHandle {
  const auth = useAuthStore();
  const employees = useEmployeesStore();
  const drafts = useDraftsStore();
  const navigation = useNavigationStore();
  const notifications = useNotificationsStore();
  return watch(
    () => auth.mode,
    (next, previous) => {
      if (previous !== undefined && previous !== 'none') {
        employees.reset();
        navigation.open('home');
        // Messages about employees ("Saved. …'s number is now …") do not outlive the session on screen.
        notifications.clear();
      }
      drafts.reset();
      if (next !== 'none') runInBackground('Reading the drafts', () => drafts.start());
    },
    { flush: 'sync', immediate: true },
  );
}
