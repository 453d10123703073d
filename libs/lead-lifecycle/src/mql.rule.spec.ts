import { isMarketingQualified } from './mql.rule';

describe('MQL threshold', () => {
  const threshold = { minScore: 60, handRaiserSources: ['demo-request'] };

  it('routes every lead when the policy sets no threshold', () => {
    expect(isMarketingQualified({ source: 'webinar' }, undefined)).toBe(true);
  });

  it('qualifies a score at the threshold, not one below it', () => {
    expect(isMarketingQualified({ source: 'webinar', score: 60 }, threshold)).toBe(true);
    expect(isMarketingQualified({ source: 'webinar', score: 59.9 }, threshold)).toBe(false);
  });

  it('qualifies a hand-raiser source whatever the score, and never a lead without a score from another source', () => {
    expect(isMarketingQualified({ source: 'demo-request', score: 5 }, threshold)).toBe(true);
    expect(isMarketingQualified({ source: 'demo-request' }, threshold)).toBe(true);
    expect(isMarketingQualified({ source: 'webinar' }, threshold)).toBe(false);
  });

  it('qualifies only hand-raisers when the threshold has no score', () => {
    expect(isMarketingQualified({ source: 'webinar', score: 100 }, { handRaiserSources: ['demo-request'] })).toBe(false);
  });
});
