import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A notification as notifications' signed webhooks deliver it (docs/operations.md). */
export interface DeliveredNotification {
  kind: string;
  leadId: string | null;
  recipient: { repId?: string; leadId?: string; teamId?: string; role: string };
  text: string;
  details: Record<string, unknown>;
}

/** A webhook receiver on 127.0.0.1 that keeps what it is sent, as a manager's inbox or an email/SMS gateway would. */
export async function startWebhookInbox(): Promise<{ url: string; received: DeliveredNotification[]; close: () => void }> {
  const received: DeliveredNotification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as DeliveredNotification);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/inbox`, received, close: () => server.close() };
}
