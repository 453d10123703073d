import { relayWhatIf, type EngineAnswer, type EnginePost } from './what-if-relay';

const settings = { url: 'http://what-if.test:3090', adminToken: 'a-token-of-16-chars', timeoutMs: 1000 };
const request = { policy: 'version: "candidate"\n', from: '2026-10-01', to: '2026-11-01', team: 'emea-sdr' };

/** An engine that answers `answer` and records what it was sent. */
function engine(answer: EngineAnswer | Error) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
  const post: EnginePost = async (url, headers, body) => {
    calls.push({ url: url.toString(), headers, body: JSON.parse(body) });
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { calls, post };
}
const json = (status: number, error: string): EngineAnswer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error }) });

describe("the dashboard's what-if relay", () => {
  it('sends the candidate and the period to the engine with the admin token, asking for the HTML report', async () => {
    const e = engine({ status: 200, contentType: 'text/html; charset=utf-8', body: '<table>report</table>' });
    expect(await relayWhatIf(settings, request, e.post)).toEqual({ status: 200, body: { html: '<table>report</table>' } });
    expect(e.calls).toEqual([{ url: 'http://what-if.test:3090/admin/what-if', headers: { 'content-type': 'application/json', accept: 'text/html', authorization: 'Bearer a-token-of-16-chars' }, body: request }]);
  });

  it('answers 503 naming WHAT_IF_URL when no engine is configured, without calling one', async () => {
    const e = engine(new Error('unused'));
    const result = await relayWhatIf({ ...settings, url: undefined }, request, e.post);
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({ message: expect.stringContaining('set WHAT_IF_URL and WHAT_IF_ADMIN_TOKEN on reporting') });
    expect(e.calls).toEqual([]);
  });

  it('refuses a request without a policy or period before asking the engine', async () => {
    const e = engine(new Error('unused'));
    expect(await relayWhatIf(settings, { policy: '  ', from: '2026-10-01' }, e.post)).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'policy is empty: paste the candidate policy; to must be a day (2026-11-01) or an ISO-8601 instant' },
    });
    expect(e.calls).toEqual([]);
  });

  it.each([
    [400, 'the posted policy is broken — invalid policy the posted policy:\n  - clocks.tiers.0.clocks.first_touch.minutes: Expected number'],
    [400, 'no recorded fact (lead, touch, availability, disposition …) between …: choose a period the log holds'],
    [409, 'first divergent event: LeadAssigned 3f… (lead l-42, …)'],
    [429, 'a what-if run is under way; try again when it has finished'],
  ])("passes the engine's %s on with its message", async (status, message) => {
    const result = await relayWhatIf(settings, request, engine(json(status, message)).post);
    expect(result).toEqual({ status, body: { statusCode: status, error: expect.any(String), message } });
  });

  it("says reporting's token is wrong when the engine refuses it, and 503 when the engine does not answer", async () => {
    expect((await relayWhatIf(settings, request, engine(json(401, 'admin only')).post)).body).toMatchObject({ statusCode: 502, message: expect.stringContaining("refused reporting's WHAT_IF_ADMIN_TOKEN") });
    expect((await relayWhatIf(settings, request, engine(new Error('connect ECONNREFUSED')).post)).body).toMatchObject({
      statusCode: 503,
      message: 'the what-if engine did not answer at http://what-if.test:3090 (connect ECONNREFUSED); check that it runs (`npm run what-if -- serve`) and try again',
    });
    expect((await relayWhatIf(settings, request, engine(json(500, 'boom')).post)).body).toMatchObject({ statusCode: 502, message: 'the what-if engine failed (HTTP 500): boom' });
  });
});
