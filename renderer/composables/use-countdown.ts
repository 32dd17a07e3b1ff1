import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';

/**
 * Whole seconds left until `until` (epoch ms), ticking once a second while there is time left.
 * 0 when `until` is null or past.
 */
export function useCountdown(until: Ref<number | null>): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;

  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  watch(
    until,
    (target) => {
      now.value = Date.now();
      stop();
      if (target !== null && target > now.value) {
        timer = setInterval(() => {
          now.value = Date.now();
          if (until.value === null || now.value >= until.value) stop();
        }, 250);
      }
    },
    { immediate: true },
  );
  onScopeDispose(stop);

  return computed(() => (until.value === null ? 0 : Math.max(0, Math.ceil((until.value - now.value) / 1000))));
}
