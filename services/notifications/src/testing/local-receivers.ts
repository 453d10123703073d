import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The whole message as sent (headers and MIME parts). */
  readonly raw: string;
}

/** A local SMTP server (smtp-server, plain text, no login) that keeps every message it accepts. */
export async function localSmtpServer(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SlackPost {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: { channel?: string; text: string };
}

/** A local stand-in for Slack's Web API (chat.postMessage) and incoming webhooks: answers like Slack and keeps every post. */
export async function localSlack(): Promise<{ url: string; posts: SlackPost[]; close(): Promise<void> }> {
  const posts: SlackPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackPost['body'];
      posts.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      if (!req.url?.endsWith('/chat.postMessage')) return void res.end('ok');
      // Like Slack: HTTP 200 with ok: false for a channel it does not know.
      res.end(JSON.stringify(body.channel === '#nowhere' ? { ok: false, error: 'channel_not_found' } : { ok: true, ts: String(Date.now() / 1000) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    posts,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
