import type { Channel, Message } from '../../api/types';

/** Channels a reply can take: e-mail always, plus every channel the customer wrote on in this conversation. */
export function replyChannels(conversationChannel: Channel, messages: Message[]): Channel[] {
  const used = messages.filter((m) => m.direction === 'inbound').map((m) => m.channel);
  return [...new Set<Channel>([conversationChannel, ...used, 'email'])];
}

/** By default a reply goes where the customer last wrote. */
export function lastCustomerChannel(conversationChannel: Channel, messages: Message[]): Channel {
  const inbound = messages.filter((m) => m.direction === 'inbound');
  return inbound.at(-1)?.channel ?? conversationChannel;
}
