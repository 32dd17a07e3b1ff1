import type { EventPayload, IpcEvent } from '../../../common/ipc';

export type ServiceEventListener = (event: IpcEvent, payload: unknown) => void;

/** Service → renderer events (`auth:state-changed`, `connection:changed`). The gate forwards them. */
export interface ServiceEmitter {
  emit<E extends IpcEvent>(event: E, payload: EventPayload<E>): void;
  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: ServiceEventListener): () => void;
}

export function createEmitter(onListenerError?: (error: unknown) => void): ServiceEmitter {
  const listeners = new Set<ServiceEventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch (error) {
          // One broken window must not stop the others from hearing about a sign-out.
          onListenerError?.(error);
        }
      }
    },
    onEvent(listener) {
      // Wrap so that subscribing the same function twice gives two independent unsubscribes.
      const entry: ServiceEventListener = (event, payload) => listener(event, payload);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}
