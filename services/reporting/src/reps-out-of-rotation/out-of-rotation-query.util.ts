import { integerIn, onlyKnown, optionalText, type Query } from '../http/query-params.util';

export interface OutOfRotationQuery {
  readonly rep?: string;
  /** Only reps of this team (in the policy in force). */
  readonly team?: string;
  readonly limit: number;
  readonly offset: number;
}

/** GET /api/reps/out-of-rotation?rep=&team=&limit=&offset= — every rejection a 400 naming the parameter. */
export function parseOutOfRotationQuery(query: Query): OutOfRotationQuery {
  onlyKnown(query, ['rep', 'team', 'limit', 'offset']);
  return {
    rep: optionalText(query, 'rep'),
    team: optionalText(query, 'team'),
    limit: integerIn(query, 'limit', 1, 1000, 100),
    offset: integerIn(query, 'offset', 0, 1_000_000, 0),
  };
}
