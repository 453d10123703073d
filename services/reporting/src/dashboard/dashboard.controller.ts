import { Controller, Get, Header, Redirect } from '@nestjs/common';
import { Authenticator, Public } from '@lead-sla/auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (file: string) => readFileSync(join(__dirname, 'public', file), 'utf8');

/** Serves the dashboard: one HTML page, a script and a stylesheet, no build step. */
const DEMO_BANNER =
  '<div class="demo-banner" role="alert"><strong>DEMO MODE — no sign-in.</strong> Everyone who reaches this page acts as an admin (AUTH_MODE=demo, for <code>npm start</code> on one machine only). See docs/security.md to turn identity on.</div>';

/** The page, its script and stylesheet hold no data: the figures come from the guarded API, with the caller's credentials. */
@Controller()
@Public('the dashboard page, script and stylesheet (no data; the API calls they make are guarded)')
export class DashboardController {
  private readonly files: { html: string; js: string; css: string };

  constructor(authenticator: Authenticator) {
    const html = read('index.html');
    this.files = { html: authenticator.demo ? html.replace('<body>', `<body>\n${DEMO_BANNER}`) : html, js: read('app.js'), css: read('style.css') };
  }

  @Get()
  @Redirect('/dashboard', 302)
  root(): void {}

  @Get('dashboard')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.files.html;
  }

  @Get('dashboard/app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('dashboard/style.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  style(): string {
    return this.files.css;
  }
}
