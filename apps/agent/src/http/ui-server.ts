/**
 * The vault UI, served by the agent on 127.0.0.1 (a random port, nothing else is ever
 * bound) for `vaultlink ui`: the built page, and the JSON API over the agent's own
 * AgentService. Started on the first `ui` request and kept until the agent stops; every
 * `ui` request mints a new one-time URL.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AgentLog } from '../server/log.js';
import type { AgentService } from '../server/service.js';
import type { UiLink } from '../shared/protocol.js';
import { apiRoutes, type UiClient } from './api.js';
import { defaultWebRoot, loadAssets } from './assets.js';
import { UiAuth } from './auth.js';
import { csrfGuard, hostGuard, securityHeaders, sessionGuard, tokenExchange, type UiEnv } from './guards.js';
import { Operations } from './operations.js';
import { RecentWarnings } from './warnings.js';

export interface UiServerOptions {
  log: AgentLog;
  /** Folder of the built page. @default dist/web beside the agent's bundle */
  webRoot?: string;
}

export class UiServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly auth: UiAuth,
    private readonly operations: Operations,
    private readonly useClient: (client: UiClient) => void,
    private readonly log: AgentLog,
    private readonly stopWarnings: () => void,
  ) {}

  static async start(service: AgentService, firstClient: UiClient, options: UiServerOptions): Promise<UiServer> {
    const assets = loadAssets(options.webRoot ?? defaultWebRoot());
    const auth = new UiAuth();
    const operations = new Operations();
    const warnings = new RecentWarnings();
    let client = firstClient;
    let port = 0;
    const currentPort = (): number => port;
    const app = new Hono<UiEnv>();
    app.use('*', securityHeaders());
    app.use('*', hostGuard(currentPort));
    app.use('*', tokenExchange(auth, currentPort));
    app.use('*', sessionGuard(auth, currentPort));
    app.use('*', csrfGuard(currentPort));
    app.route('/api', apiRoutes({ service, operations, warnings, client: () => client }));
    app.get('*', (c) => {
      // One page (hash routes); any other path that is not a file gets it too.
      const asset = assets.get(c.req.path) ?? (c.req.path.includes('.') ? undefined : assets.get('/index.html'));
      if (!asset) return c.text('Not found\n', 404);
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': asset.type });
    });
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only, on a port the system picks.
      server.listen(0, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    port = (server.address() as AddressInfo).port;
    options.log.event('ui-started', { port });
    const stopWarnings = service.onStoreWarning((warning) => warnings.add(warning));
    return new UiServer(server, port, auth, operations, (next) => (client = next), options.log, stopWarnings);
  }

  /** A new one-time URL; page requests from now on run in `client`'s directory and environment. */
  link(client: UiClient): UiLink {
    this.useClient(client);
    const { token, expiresAt } = this.auth.mintToken();
    this.log.event('ui-link-issued');
    return { url: `http://127.0.0.1:${this.port}/?token=${token}`, port: this.port, expiresAt: new Date(expiresAt).toISOString() };
  }

  async close(): Promise<void> {
    this.stopWarnings();
    this.operations.cancelAll();
    this.auth.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.log.event('ui-stopped', { port: this.port });
  }
}
