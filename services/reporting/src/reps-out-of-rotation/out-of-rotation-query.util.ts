import { integerIn, onlyKnown, optionalText, type Query } from '../http/query-params.util';

export interface OutOfRotationQuery {
  readonly rep?: string;
  readonly limit: number;
  readonly offset: number;
}

/** GET /api/reps/out-of-rotation?rep=&limit=&offset= — every rejection a 400 naming the parameter. */
export function parseOutOfRotationQuery(query: Query): OutOfRotationQuery {
  onlyKnown(query, ['rep', 'limit', 'offset']);
  return {
    rep: optionalText(query, 'rep'),
    limit: integerIn(query, 'limit', 1, 1000, 100),
    offset: integerIn(query, 'offset', 0, 1_000_000, 0),
  };
}
