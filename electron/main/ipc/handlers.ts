import type { ChannelOutput, ChannelParsedInput, IpcChannel } from '../../../common/ipc';

/**
 * A handler for channel C: what the gate calls once the sender is trusted and the input has passed
 * the channel's schema. Its answer is checked against the channel's output schema before it leaves.
 * Failures are thrown as `IpcFailure`; the gate turns them into result envelopes.
 */
export type ChannelHandler<C extends IpcChannel> = (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;

/** One handler for every channel: the composition root adapts main's services to this table. */
export type ChannelHandlers = { [C in IpcChannel]: ChannelHandler<C> };

/** A part of the table (the handlers of one feature's channels). */
export type SomeChannelHandlers<C extends IpcChannel> = { [K in C]: ChannelHandler<K> };
