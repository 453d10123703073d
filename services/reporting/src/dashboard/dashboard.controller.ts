import { Controller, Get, Header, Redirect } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authenticator, Public } from '@lead-sla/auth';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const read = (file: string) => readFileSync(join(__dirname, 'public', file), 'utf8');

/** chart.js's browser bundle, served from the installed package (the one the workspace pins), so the page needs no CDN. */
function chartJsBundle(): string {
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const DEMO_BANNER =
  '<div class="demo-banner" role="alert"><strong>DEMO MODE — no sign-in.</strong> You act as the demo person this platform names (AUTH_DEMO_PERSON; without one, as an admin): AUTH_MODE=demo, for <code>npm start</code> on one machine only. See docs/security.md to turn identity on.</div>';

/**
 * Serves the dashboard: one HTML page (overview and lead pages), its scripts
 * and stylesheet, no build step. They hold no data: the figures come from the
 * guarded API, with the caller's credentials.
 */
@Controller()
@ApiTags('dashboard')
@Public('the dashboard page, scripts and stylesheet (no data; the API calls they make are guarded)')
export class DashboardController {
  private readonly files: { html: string; js: string; viewModel: string; css: string; chartJs: string };

  constructor(authenticator: Authenticator) {
    const html = read('index.html');
    this.files = {
      html: authenticator.demo ? html.replace('<body>', `<body>\n${DEMO_BANNER}`) : html,
      js: read('app.js'),
      viewModel: read('view-model.js'),
      css: read('style.css'),
      chartJs: chartJsBundle(),
    };
  }

  @Get()
  @ApiExcludeEndpoint()
  @Redirect('/dashboard', 302)
  root(): void {}

  @Get('dashboard')
  @ApiOperation({ summary: 'The dashboard web page' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'HTML (no data: the page reads the API with the viewer\'s credentials).', schema: { type: 'string' } })
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.files.html;
  }

  /** A lead's page: the same HTML; the script reads the lead id from the path. */
  @Get('dashboard/leads/:leadId')
  @ApiOperation({ summary: "A lead's page of the dashboard" })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The same HTML; the script reads the lead id from the path.', schema: { type: 'string' } })
  @Header('Content-Type', 'text/html; charset=utf-8')
  leadPage(): string {
    return this.files.html;
  }

  /** The what-if page (admins): the same HTML; the script shows the page by its path. */
  @Get('dashboard/what-if')
  @Header('Content-Type', 'text/html; charset=utf-8')
  whatIfPage(): string {
    return this.files.html;
  }

  @Get('dashboard/app.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('dashboard/view-model.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  viewModel(): string {
    return this.files.viewModel;
  }

  @Get('dashboard/vendor/chart.umd.min.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  chartJs(): string {
    return this.files.chartJs;
  }

  @Get('dashboard/style.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  style(): string {
    return this.files.css;
  }
}
