// The parts of hoodiecrow-imap (a scriptable IMAP server for tests; it ships no types) the tests use.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  type Message = { raw: string; flags?: string[]; uid?: number; internaldate?: string };
  type Folder = {
    messages?: Message[];
    separator?: string;
    folders?: Record<string, Folder>;
    uidvalidity?: number;
    uidnext?: number;
  };
  type Options = {
    plugins?: string[];
    users?: Record<string, { password: string }>;
    storage?: Record<string, Folder>;
  };
  type ImapServer = {
    server: Server;
    folderCache: Record<string, Folder & { messages: Message[]; uidvalidity: number; uidnext: number }>;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
  };
  export default function hoodiecrow(options: Options): ImapServer;
}
